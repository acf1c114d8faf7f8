package dev.daflow.trainer.service;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.TrainedModel;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.train.TrainingCancelledException;
import dev.daflow.ml.train.TrainingListener;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StoredObject;
import dev.daflow.trainer.service.Admission.Conflict;
import dev.daflow.trainer.service.Admission.Decision;
import dev.daflow.trainer.service.Admission.Duplicate;
import dev.daflow.trainer.service.Admission.Invalid;
import dev.daflow.trainer.service.Admission.Resume;
import dev.daflow.trainer.service.Admission.Train;
import dev.daflow.trainer.service.RequestValidator.Accepted;
import dev.daflow.trainer.service.RunningJob.Stop;
import dev.daflow.trainer.service.TrainingMetrics.JobMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One run of a job on a worker thread, from its request to the end of the run: the {@link
 * RunState} machine, each state's work done with the job's collaborators: {@link Admission} (pure
 * rules), {@link CheckpointSync} (the latest checkpoint down, write-once uploads up), {@link
 * JobEvents} (what is published, under which ids), {@link EpochBundleAnnouncer} (the record
 * before the announcement) and {@link CancelPolling}.
 *
 * <ol>
 *   <li>ADMITTING: the request validated and decided on against the job's record ({@code
 *       training.rejected}, a duplicate, a handover, or on);
 *   <li>RESUMING: the latest recorded checkpoint fetched, the record written ({@code RUNNING}),
 *       the recorded epoch's {@code epoch-bundle.saved} published again (in case the run that
 *       recorded it was killed before announcing it), a cancel recorded meanwhile honoured;
 *   <li>TRAINING: {@code training.started}, training with throttled {@code training.progress};
 *       after each epoch its checkpoint and bundle uploaded, recorded, then {@code
 *       epoch-bundle.saved}; at the end the final bundle (the last epoch's weights, the whole
 *       run's card) and {@code training.completed}, or {@code training.cancelled} / {@code
 *       training.failed}. The trainer evaluates no test split: evaluator-service does, once per
 *       bundle.
 * </ol>
 *
 * <p>An unreachable Kafka or object store pauses the job ({@link #pauseBeforeRetry}): it is
 * retried from the admission, so from its last checkpoint, with growing pauses until they answer
 * or the job is stopped. Any other error of the job fails it.
 */
final class JobExecution {
  private static final Logger LOG = Logger.getLogger(JobExecution.class);

  /**
   * What a job needs from the service.
   *
   * @param progressEvery iterations between two {@code training.progress} events
   * @param unavailable the pauses while the store or Kafka is unreachable: the service's one
   *     back-off policy ({@code daflow.retry.*})
   */
  record Deps(RequestValidator validator, JobRecords records, ObjectStore store,
      EventPublisher publisher, DatasetSource datasets, TrainingMetrics metrics,
      String replicaId, Path workDir, int progressEvery, Clock clock, Backoff unavailable) {}

  private final Deps d;
  private final RunningJob job;
  private final String jobId;
  private final JobEvents events;
  private final CheckpointSync objects;
  private final EpochBundleAnnouncer announcer;
  private final Path dir;
  /** Pauses taken so far (the next one is {@code d.unavailable().delay(pauses + 1)}). */
  private int pauses;

  // Carried from one state to the next.
  private Train admitted;
  private int startEpoch;
  /** The announcement of the latest epoch saved (resumed from, or trained here). */
  private EpochBundleSaved lastEpoch;

  JobExecution(Deps deps, RunningJob job) {
    this.d = deps;
    this.job = job;
    this.jobId = job.jobId();
    // Every event of the job names who asked for it (the principal attribute).
    this.events = new PublishedJobEvents(
        (event, id) -> deps.publisher().publish(event, id, job.principal()),
        deps.progressEvery(), System::nanoTime);
    this.objects = new CheckpointSync(deps.store(), jobId);
    this.announcer = new EpochBundleAnnouncer(deps.records()::update, events::epochBundleSaved,
        deps.clock());
    this.dir = deps.workDir().resolve(jobId);
  }

  /** Runs the job through its states to an end; never throws. */
  void run() {
    RunState state = RunState.ADMITTING;
    while (!state.isEnd()) {
      state = state.to(step(state));
      if (state.jobState() != null) {
        job.state(state.jobState());
      }
    }
    LOG.debugf("job %s: run ended %s", jobId, state);
  }

  /** Does the work of one state; returns the next. */
  private RunState step(RunState state) {
    try {
      return switch (state) {
        case ADMITTING -> admit();
        case RESUMING -> resume();
        case TRAINING -> train();
        case PAUSED -> pauseBeforeRetry();
        default -> throw new IllegalStateException("no work in the end state " + state);
      };
    } catch (RuntimeException | Error e) {
      if (RunState.isUnavailable(e)) {
        RunState next = RunState.unavailable(job.stopping());
        if (next == RunState.STOPPED) {
          LOG.infof("job %s: stopped while %s", jobId, e.getMessage());
        } else {
          LOG.warnf("job %s: paused, retrying in %d s from its last checkpoint: %s", jobId,
              d.unavailable().delay(pauses + 1).toSeconds(), e.getMessage());
        }
        return next;
      }
      // A bug of ours rather than of the job: say so, and let the request go.
      LOG.errorf(e, "job %s: unexpected error", jobId);
      return RunState.CRASHED;
    }
  }

  // ---- ADMITTING

  private RunState admit() {
    TrainingRequested r = job.request();
    RequestValidator.Verdict verdict = d.validator().check(r);
    if (verdict.valid()) {
      job.network(verdict.accepted().network());
    }
    Decision decision = Admission.decide(r, job.requestEventId(), verdict,
        verdict.valid() ? d.records().find(jobId) : Optional.empty(),
        job.stopReason());
    if (decision instanceof Invalid i) {
      LOG.infof("job %s: rejected: %s", i.key(), String.join("; ", i.problems()));
      events.rejected(new TrainingRejected(i.key(), "invalid request", i.problems()),
          job.requestEventId());
      d.metrics().rejected("invalid");
    } else if (decision instanceof Duplicate dup) {
      d.metrics().duplicate();
      LOG.infof("job %s: already %s (request %s); not training it again", jobId, dup.state(),
          dup.recordedRequestEventId());
    } else if (decision instanceof Conflict c) {
      LOG.infof("job %s: rejected: %s", jobId, c.problem());
      events.rejected(new TrainingRejected(jobId, "conflict", List.of(c.problem())),
          job.requestEventId());
      d.metrics().rejected("conflict");
    } else if (decision instanceof Admission.HandedOver) {
      LOG.infof("job %s: handed over before it started", jobId);
    } else if (decision instanceof Train t) {
      admitted = t;
    }
    return RunState.admitted(decision);
  }

  // ---- RESUMING

  private RunState resume() {
    Accepted a = admitted.accepted();
    Resume plan = admitted.resume();
    Instant now = d.clock().instant();
    int total = a.spec().config().totalEpochs();
    resetDir(dir);
    int resumed = objects.downloadLatest(dir, plan.upToEpoch());
    startEpoch = resumed + 1;
    lastEpoch = plan.announcementFor(resumed);
    JobRecord record = d.records().write(new JobRecord(jobId, a.modelName(), job.request(),
        job.requestEventId(), JobState.RUNNING, d.replicaId(), a.network(),
        resumed >= 0 ? resumed : null, total, plan.keepCancel(), null, null,
        plan.createdAt() != null ? plan.createdAt() : now, now, now, null, lastEpoch,
        job.principal()));
    if (announcer.reannounce(record)) {
      LOG.infof("job %s: announced its recorded epoch %d again", jobId, resumed);
    }
    RunState next = RunState.resumed(record.cancelRequested());
    if (next == RunState.CANCELLED) {
      // Cancelled through another replica while the request waited for a new owner.
      job.stop(Stop.USER);
      deleteDir(dir);
      cancelled(startEpoch);
    }
    return next;
  }

  // ---- TRAINING

  private RunState train() {
    Accepted a = admitted.accepted();
    int total = a.spec().config().totalEpochs();
    job.live().started(startEpoch, total);
    EpochListener listener = new EpochListener(a, total);
    Throwable error = null;
    try (JobMeters meters = d.metrics().job(jobId, job.live())) {
      listener.meters = meters;
      TrainingRequested r = job.request();
      LOG.infof("job %s: training %s %s -> %s (%s), epochs %d..%d of %d on %s", jobId,
          r.method(), r.source(), r.target(), a.network(), startEpoch, total - 1, total,
          d.replicaId());
      events.started(new TrainingStarted(jobId, a.modelName(), r.method(), r.source(),
          r.target(), a.network(), total, startEpoch, d.replicaId()));
      TrainedModel trained = new JobRunner(d.datasets())
          .train(a.spec().withRequestedBy(job.principal()), listener, job.token(), dir,
              listener::onEpochModel);
      complete(a, total, trained);
    } catch (IOException | RuntimeException e) {
      error = e instanceof UncheckedIOException u ? u.getCause() : e;
    } catch (OutOfMemoryError e) {
      // The heap or ND4J's off-heap bound (JavaCPP's maxbytes, maxphysicalbytes): this job's
      // failure, not the trainer's. Its arrays are unreachable once this frame is left.
      error = e;
    } finally {
      deleteDir(dir);
    }
    RunState next = RunState.trained(error, job.stopReason());
    switch (next) {
      case CANCELLED -> cancelled(((TrainingCancelledException) error).epoch());
      case FAILED -> failed(error, listener.epoch);
      case HANDED_OVER -> LOG.infof("job %s: handed over%s; its next owner resumes it", jobId,
          error instanceof TrainingCancelledException c ? " during epoch " + c.epoch()
              : ", then stopped on " + error);
      case PAUSED, STOPPED -> throw (RuntimeException) error; // step() pauses or stops
      default -> { }
    }
    return next;
  }

  /** The final bundle uploaded, {@code training.completed}, the record completed. */
  private void complete(Accepted a, int total, TrainedModel trained) throws IOException {
    Path file = dir.resolve("final.bundle");
    ModelBundle.save(trained.model(), file);
    StoredObject bundle = objects.putFinalBundle(file);
    // The final bundle has the last epoch's weights: the evaluator need not evaluate it again.
    EpochBundleSaved last = lastEpoch != null && lastEpoch.epoch() == total - 1 ? lastEpoch
        : null;
    TrainingRequested r = job.request();
    events.completed(new TrainingCompleted(jobId, a.modelName(), bundle.key(), bundle.sha256(),
        total, trained.training().seconds(), trained.training().imagesPerSecond(),
        trained.model().card().metrics(), r.source(), r.target(),
        last == null ? null : last.bundleKey(), last == null ? null : last.sha256()));
    d.records().update(jobId, x -> x.completed(bundle.key(), d.clock().instant()));
    d.metrics().finished("completed");
    LOG.infof("job %s: completed, bundle %s", jobId, bundle.key());
  }

  private void cancelled(int epoch) {
    LOG.infof("job %s: cancelled during epoch %d", jobId, epoch);
    events.cancelled(new TrainingCancelled(jobId, epoch), job.requestEventId());
    d.records().update(jobId, x -> x.withState(JobState.CANCELLED, d.clock().instant()));
    d.metrics().finished("cancelled");
  }

  private void failed(Throwable e, Integer epoch) {
    String why = describe(e);
    if (MemoryExhaustion.find(e).isPresent()) {
      MemoryExhaustion.release(); // what the job held, before the next job starts
    }
    LOG.warnf(e, "job %s: failed: %s", jobId, why);
    events.failed(new TrainingFailed(jobId, why, epoch), job.requestEventId());
    d.records().update(jobId, x -> x.failed(why, d.clock().instant()));
    d.metrics().finished("failed");
  }

  /**
   * {@code ExceptionClass: message}, no stack trace, as {@code training.failed.error}; for an
   * out-of-memory error (also inside another), the bound it passed and the trainer's bounds
   * ({@link MemoryExhaustion#reason}).
   */
  static String describe(Throwable e) {
    Optional<OutOfMemoryError> oom = MemoryExhaustion.find(e);
    if (oom.isPresent()) {
      return MemoryExhaustion.reason(oom.get(), MemoryExhaustion.Bounds.current());
    }
    String message = e.getMessage();
    if ((message == null || message.isBlank()) && e.getCause() != null) {
      message = e.getCause().toString();
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  // ---- PAUSED

  /**
   * The retry policy while the store or Kafka is unreachable: waits (the service's back-off,
   * {@code daflow.retry.*}: 1 s, doubling up to 30 s by default; cut short when the job is
   * stopped), then the job is admitted again from its last checkpoint.
   */
  private RunState pauseBeforeRetry() {
    boolean waited = Backoff.pause(d.unavailable().jittered(++pauses), job::stopping);
    return waited ? RunState.ADMITTING : RunState.STOPPED;
  }

  private static void resetDir(Path dir) {
    deleteDir(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the job folder " + dir, e);
    }
  }

  private static void deleteDir(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
    }
  }

  /**
   * The job's training listener, on the training thread: live progress and metrics after every
   * step, {@code training.progress} (throttled by {@link JobEvents#progress}), the record's cancel
   * flag ({@link CancelPolling}), and each epoch's checkpoint and bundle ({@link #onEpochModel}).
   */
  private final class EpochListener implements TrainingListener {
    private final Accepted accepted;
    private final int total;
    private final CancelPolling cancelPolling;
    private Map<String, Integer> stepsPerEpoch = Map.of();
    private JobMeters meters;
    private Integer epoch;

    EpochListener(Accepted accepted, int total) {
      this.accepted = accepted;
      this.total = total;
      this.cancelPolling = new CancelPolling(d.records()::find, jobId, CancelPolling.EVERY,
          System::nanoTime);
    }

    @Override
    public void onStart(Plan plan) {
      stepsPerEpoch = plan.stepsPerEpoch();
    }

    @Override
    public void onIteration(Iteration it) {
      epoch = it.epoch();
      int steps = stepsPerEpoch.getOrDefault(it.phase(), 0);
      job.live().iteration(it, steps);
      meters.losses(it.losses());
      events.progress(new TrainingProgress(jobId, it.epoch(), total, it.step(), steps,
          it.iteration(), it.phase(), it.losses(), it.lambda(), it.learningRate(),
          it.imagesPerSecond()));
      if (cancelPolling.cancelRequested()) {
        job.stop(Stop.USER);
      }
    }

    /**
     * After each epoch: checkpoint, then the epoch's bundle, then the record and {@code
     * epoch-bundle.saved}, in that order ({@link EpochBundleAnnouncer}).
     */
    void onEpochModel(Epoch e, Model model) throws IOException {
      if (job.stopReason() == Stop.HANDOVER) {
        throw new TrainingCancelledException(e.epoch()); // the next owner redoes this epoch
      }
      int n = e.epoch();
      objects.putCheckpoint(n, e.checkpoint());
      Path file = e.checkpoint().resolveSibling(e.checkpoint().getFileName() + ".bundle");
      ModelBundle.save(model, file);
      StoredObject bundle;
      try {
        bundle = objects.putEpochBundle(n, file);
      } finally {
        Files.deleteIfExists(file);
      }
      TrainingRequested r = job.request();
      EpochBundleSaved saved = new EpochBundleSaved(jobId, accepted.modelName(), n, e.phase(),
          r.source(), r.target(), bundle.key(), bundle.sha256(), e.meanLosses(), e.seconds(),
          e.imagesPerSecond());
      JobRecord record = announcer.announce(saved);
      lastEpoch = saved;
      job.live().epochDone(n);
      removeOlderCheckpoints(e.checkpoint());
      if (record.cancelRequested()) {
        job.stop(Stop.USER);
      }
      LOG.infof("job %s: epoch %d of %d saved (%s, %.0f img/s)", jobId, n + 1, total,
          bundle.key(), e.imagesPerSecond());
    }

    /** Only the latest local checkpoint is ever resumed from; the store keeps them all. */
    private void removeOlderCheckpoints(Path latest) throws IOException {
      try (Stream<Path> files = Files.list(latest.getParent())) {
        files.filter(p -> p.getFileName().toString().endsWith(".ckpt"))
            .filter(p -> !p.equals(latest))
            .forEach(p -> p.toFile().delete());
      }
    }
  }
}
