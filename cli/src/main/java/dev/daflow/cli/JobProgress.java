package dev.daflow.cli;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.ModelPromotionDeclined;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingStarted;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;

/**
 * What a person sees of one training job, fed with its events in order: a progress bar per epoch
 * (from {@code training.progress}), one line per {@code epoch-bundle.saved}, then the evaluations
 * ({@code model.evaluated}) and the promotion ({@code model.promoted}); and the job's outcome.
 *
 * <p>The outcome is decided only once the events read so far are all there is ({@code caughtUp}),
 * so that replaying an old job's events decides on its last run: a job cancelled and then
 * requested again (it resumes) is followed to its new end. A completed job is done when its
 * promotion arrives, or {@code promotionWait} after its completion was seen.
 */
final class JobProgress {
  /** How a followed job ended. */
  enum Status {
    /** Trained (and, normally, evaluated and promoted). */
    COMPLETED,
    FAILED,
    CANCELLED,
    REJECTED,
    /** The watch gave up waiting. */
    TIMED_OUT
  }

  /**
   * How a job ended.
   *
   * @param reason for people; null when it completed
   * @param completed its {@code training.completed}, or null
   * @param evaluation the evaluation of its final bundle, or null
   * @param promoted its promotion, or null
   */
  record Outcome(Status status, String reason, TrainingCompleted completed,
      ModelEvaluated evaluation, ModelPromoted promoted) {
    /** Exit code 0 when it completed, else 1. */
    int exitCode() {
      return status == Status.COMPLETED ? 0 : 1;
    }
  }

  private final String jobId;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean console;
  private final Duration promotionWait;

  private boolean seenAny;
  private int totalEpochs;
  private ProgressBar bar;
  private int barEpoch = -1;
  private Status ended;
  private String reason;
  private TrainingCompleted completed;
  private Instant completedSeen;
  private ModelEvaluated evaluation;
  private ModelPromoted promoted;
  private ModelPromotionDeclined declined;

  /**
   * @param out lines for the record (epochs, evaluations, the outcome)
   * @param err the progress bar without a console
   * @param console whether stderr is a terminal (a bar redrawn in place)
   */
  JobProgress(String jobId, PrintWriter out, PrintWriter err, boolean console,
      Duration promotionWait) {
    this.jobId = jobId;
    this.out = out;
    this.err = err;
    this.console = console;
    this.promotionWait = promotionWait;
  }

  /** The job an event is about, or null (dataset events). */
  static String jobOf(DaflowEvent e) {
    if (e instanceof ModelEvaluated m) {
      return m.jobId();
    }
    if (e instanceof ModelPromoted m) {
      return m.jobId();
    }
    if (e instanceof ModelPromotionDeclined d) {
      return d.jobId();
    }
    // Every training event is keyed by its job id.
    String topic = e.type().topic();
    return topic.equals(Topics.TRAINING) || topic.equals(Topics.TRAINING_REQUESTS) ? e.key() : null;
  }

  /** Whether any event of the job was seen. */
  boolean seenAny() {
    return seenAny;
  }

  /** Takes one event (events of other jobs are ignored). */
  void on(DaflowEvent event, Instant now) {
    if (!jobId.equals(jobOf(event))) {
      return;
    }
    seenAny = true;
    if (event instanceof TrainingStarted s) {
      closeBar();
      ended = null; // a resumed run: an earlier cancellation is history
      reason = null;
      totalEpochs = s.totalEpochs();
      line("started on %s: %s %s -> %s, network %s, %d epochs, model %s%s", s.worker(),
          s.method(), s.source(), s.target(), s.network(), s.totalEpochs(), s.modelName(),
          s.startEpoch() > 0 ? ", resuming at epoch " + (s.startEpoch() + 1) : "");
    } else if (event instanceof TrainingProgress p) {
      progress(p);
    } else if (event instanceof EpochBundleSaved c) {
      closeBar();
      line("%s: %s, %.1f s, %.0f img/s, bundle %s", task(c.epoch(), c.phase()),
          ProgressListener.losses(c.meanLosses()), c.seconds(), c.imagesPerSecond(),
          c.bundleKey());
    } else if (event instanceof TrainingCompleted c) {
      closeBar();
      ended = null;
      completed = c;
      completedSeen = now;
      line("training completed: %d epochs in %.1f s (%.0f img/s), bundle %s", c.epochs(),
          c.seconds(), c.imagesPerSecond(), c.bundleKey());
    } else if (event instanceof TrainingFailed f) {
      end(Status.FAILED, f.error()
          + (f.epoch() == null ? "" : " (in epoch " + (f.epoch() + 1) + ")"));
    } else if (event instanceof TrainingCancelled c) {
      end(Status.CANCELLED, "cancelled during epoch " + (c.epoch() + 1));
    } else if (event instanceof TrainingRejected r) {
      end(Status.REJECTED, r.reason()
          + (r.problems().isEmpty() ? "" : ": " + String.join("; ", r.problems())));
    } else if (event instanceof ModelEvaluated m) {
      closeBar();
      if ("bundle".equals(m.artifact())) {
        evaluation = m;
      }
      line("evaluated %s of epoch %d: source %s, target %s", m.artifact(), m.epoch() + 1,
          result(m.source()), result(m.target()));
    } else if (event instanceof ModelPromoted m) {
      closeBar();
      promoted = m;
      line("promoted: model %s version %d (policy %s%s), bundle %s", m.modelName(),
          m.version(), m.policy(), metrics(m.metrics()), m.bundleKey());
    } else if (event instanceof ModelPromotionDeclined d) {
      closeBar();
      declined = d;
      line("not promoted (%s, policy %s): %s; model %s keeps %s", d.reason(), d.policy(),
          d.detail(), d.modelName(), d.currentVersion() == null ? "its serving version"
              : "version " + d.currentVersion());
    }
  }

  /**
   * The outcome once decided.
   *
   * @param caughtUp whether every event on the topics so far has been read
   */
  Optional<Outcome> outcome(boolean caughtUp, Instant now) {
    if (!caughtUp) {
      return Optional.empty();
    }
    if (ended != null) {
      return Optional.of(finish(ended, reason));
    }
    if (completed != null && (promoted != null || declined != null)) {
      return Optional.of(finish(Status.COMPLETED, null));
    }
    if (completed != null && now.isAfter(completedSeen.plus(promotionWait))) {
      line("no promotion within %d s of the completion (see the evaluator's log)",
          promotionWait.toSeconds());
      return Optional.of(finish(Status.COMPLETED, null));
    }
    return Optional.empty();
  }

  /** Gives up: the outcome {@link Status#TIMED_OUT}. */
  Outcome timedOut(Duration after) {
    return finish(Status.TIMED_OUT, "gave up after " + after.toSeconds() + " s"
        + (seenAny ? "" : "; no event of job " + jobId + " was seen"));
  }

  /** Closes a bar left open. */
  void close() {
    closeBar();
  }

  private Outcome finish(Status status, String why) {
    closeBar();
    if (status != Status.COMPLETED) {
      line("job %s %s: %s", jobId, status.name().toLowerCase(Locale.ROOT).replace('_', ' '), why);
    }
    return new Outcome(status, why, completed, evaluation, promoted);
  }

  private void end(Status status, String why) {
    closeBar();
    ended = status;
    reason = why;
  }

  private void progress(TrainingProgress p) {
    totalEpochs = p.totalEpochs();
    if (bar == null || barEpoch != p.epoch()) {
      closeBar();
      bar = ProgressListener.newBar(task(p.epoch(), p.phase()), Math.max(1, p.stepsPerEpoch()),
          console, err);
      barEpoch = p.epoch();
    }
    bar.stepTo(Math.min(p.step() + 1L, bar.getMax()));
    bar.setExtraMessage(String.format(Locale.ROOT, "%s lambda %.3f lr %.2e %.0f img/s",
        ProgressListener.losses(p.losses()), p.lambda(), p.learningRate(), p.imagesPerSecond()));
  }

  private String task(int epoch, String phase) {
    return "epoch " + (epoch + 1) + "/" + (totalEpochs > 0 ? totalEpochs : "?") + " " + phase;
  }

  private static String result(ModelEvaluated.Evaluation e) {
    return e == null ? "-" : String.format(Locale.ROOT, "%s %.4f (%d pictures)", e.dataset(),
        e.accuracy(), e.count());
  }

  private static String metrics(Map<String, Double> metrics) {
    return metrics.isEmpty() ? "" : ", " + metrics.entrySet().stream()
        .map(m -> m.getKey() + " " + number(m.getValue()))
        .collect(Collectors.joining(", "));
  }

  /** {@code 2} for a whole number, else {@code 0.9517}. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v)
        : String.format(Locale.ROOT, "%.4f", v);
  }

  private void line(String format, Object... args) {
    out.printf(Locale.ROOT, format + "%n", args);
    out.flush();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
      barEpoch = -1;
      err.flush();
    }
  }
}
