package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.ModelPromotionDeclined;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingStarted;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code daflow watch} shows of a job's events, and when it decides. */
class JobProgressTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final JobProgress job = new JobProgress("j1", new PrintWriter(out, true),
      new PrintWriter(err, true), false, Duration.ofMinutes(5));

  @Test
  void aCompletedJobEndsWithItsPromotion() {
    job.on(new TrainingStarted("j1", "digits", "dann", "mnist", "usps", "lenet", 2, 0, "host-1"),
        T0);
    job.on(new TrainingProgress("j1", 0, 2, 9, 20, 9, "adapt", Map.of("label", 0.5), 0.1, 0.01,
        2000), T0);
    job.on(new TrainingProgress("other", 0, 2, 9, 20, 9, "adapt", Map.of(), 0, 0.01, 1), T0);
    job.on(new EpochBundleSaved("j1", "digits", 0, "adapt", "mnist", "usps",
        "checkpoints/j1/epoch-0000.bundle", "ab", Map.of("label", 0.4), 12.5, 2100), T0);
    job.on(new TrainingCompleted("j1", "digits", "bundles/j1.bundle", "cd", 2, 25, 2000,
        Map.of(), "mnist", "usps", "checkpoints/j1/epoch-0001.bundle", "ef"), T0);
    assertThat(job.outcome(true, T0)).as("waits for the promotion").isEmpty();
    ModelEvaluated evaluated = new ModelEvaluated("digits", "j1", "bundle", "bundles/j1.bundle",
        1, List.of("0", "1"), eval("mnist/test", 0.98), eval("usps/test", 0.95));
    job.on(evaluated, T0);
    job.on(new ModelPromoted("digits", "j1", "bundles/j1.bundle", "cd", 1, "final",
        new java.util.TreeMap<>(Map.of("source_test_accuracy", 0.98, "epoch", 1.0))), T0);
    assertThat(job.outcome(false, T0)).as("not caught up yet").isEmpty();

    JobProgress.Outcome outcome = job.outcome(true, T0).orElseThrow();
    assertThat(outcome.status()).isEqualTo(JobProgress.Status.COMPLETED);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.evaluation()).isEqualTo(evaluated);
    assertThat(outcome.promoted().version()).isEqualTo(1);
    assertThat(out.toString())
        .contains("started on host-1: dann mnist -> usps, network lenet, 2 epochs, model digits")
        .contains("epoch 1/2 adapt: label 0.400, 12.5 s, 2100 img/s, bundle"
            + " checkpoints/j1/epoch-0000.bundle")
        .contains("training completed: 2 epochs in 25.0 s")
        .contains("evaluated bundle of epoch 2: source mnist/test 0.9800 (100 pictures), target"
            + " usps/test 0.9500 (100 pictures)")
        .contains("promoted: model digits version 1 (policy final, epoch 1,"
            + " source_test_accuracy 0.9800)");
    assertThat(err.toString()).as("the ASCII progress bar").contains("epoch 1/2 adapt");
  }

  @Test
  void aDeclinedPromotionEndsTheJobWithTheReason() {
    job.on(new TrainingCompleted("j1", "digits", "bundles/j1.bundle", "cd", 2, 25, 2000,
        Map.of(), "mnist", "usps", null, null), T0);
    assertThat(job.outcome(true, T0)).isEmpty();
    job.on(new ModelPromotionDeclined("digits", "j1", "bundles/j1.bundle", "cd", "im",
        ModelPromotionDeclined.NOT_BETTER, "im", 0.41, 3, 0.52,
        "im 0.4100 of bundle epoch 1 does not beat version 3's 0.5200 on usps/test"), T0);
    JobProgress.Outcome o = job.outcome(true, T0).orElseThrow();
    assertThat(o.status()).isEqualTo(JobProgress.Status.COMPLETED);
    assertThat(o.promoted()).isNull();
    assertThat(out.toString()).contains("not promoted (not-better, policy im): im 0.4100 of "
        + "bundle epoch 1 does not beat version 3's 0.5200 on usps/test; model digits keeps "
        + "version 3");
  }

  @Test
  void aCompletionWithoutPromotionEndsAfterTheWait() {
    job.on(new TrainingCompleted("j1", "m", "bundles/j1.bundle", "cd", 1, 1, 1, Map.of(), null,
        null, null, null), T0);
    assertThat(job.outcome(true, T0.plusSeconds(299))).isEmpty();
    JobProgress.Outcome o = job.outcome(true, T0.plusSeconds(301)).orElseThrow();
    assertThat(o.status()).isEqualTo(JobProgress.Status.COMPLETED);
    assertThat(o.promoted()).isNull();
    assertThat(out.toString()).contains("no promotion within 300 s");
  }

  @Test
  void failureCancellationAndRejectionExitWithOneAndTheReason() {
    job.on(new TrainingFailed("j1", "ArithmeticException: loss is NaN", 2), T0);
    JobProgress.Outcome failed = job.outcome(true, T0).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobProgress.Status.FAILED);
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.reason()).isEqualTo("ArithmeticException: loss is NaN (in epoch 3)");
    assertThat(out.toString()).contains("job j1 failed: ArithmeticException");

    JobProgress rejected = new JobProgress("j2", new PrintWriter(out, true),
        new PrintWriter(err, true), false, Duration.ofMinutes(5));
    rejected.on(new DatasetRejected("j2", "catalog", "not this one"), T0);
    assertThat(rejected.seenAny()).as("dataset events are no job's").isFalse();
    rejected.on(new TrainingRejected("j2", "invalid request", List.of("epochs must be in"
        + " 1..10000, got 0")), T0);
    assertThat(rejected.outcome(true, T0).orElseThrow().reason())
        .isEqualTo("invalid request: epochs must be in 1..10000, got 0");
  }

  @Test
  void aCancelledJobThatWasRequestedAgainIsFollowedToItsNewEnd() {
    job.on(new TrainingStarted("j1", "m", "dann", "mnist", "usps", "lenet", 3, 0, "h"), T0);
    job.on(new TrainingCancelled("j1", 1), T0);
    assertThat(job.outcome(true, T0).orElseThrow().status())
        .isEqualTo(JobProgress.Status.CANCELLED);

    JobProgress replay = new JobProgress("j1", new PrintWriter(out, true),
        new PrintWriter(err, true), false, Duration.ofMinutes(5));
    replay.on(new TrainingStarted("j1", "m", "dann", "mnist", "usps", "lenet", 3, 0, "h"), T0);
    replay.on(new TrainingCancelled("j1", 1), T0);
    replay.on(new TrainingStarted("j1", "m", "dann", "mnist", "usps", "lenet", 3, 1, "h"), T0);
    assertThat(replay.outcome(true, T0)).as("resumed: still running").isEmpty();
    assertThat(out.toString()).contains("resuming at epoch 2");
  }

  @Test
  void timingOutSaysWhetherAnythingWasSeen() {
    JobProgress.Outcome o = job.timedOut(Duration.ofSeconds(30));
    assertThat(o.status()).isEqualTo(JobProgress.Status.TIMED_OUT);
    assertThat(o.reason()).isEqualTo("gave up after 30 s; no event of job j1 was seen");
  }

  private static ModelEvaluated.Evaluation eval(String dataset, double accuracy) {
    return new ModelEvaluated.Evaluation(dataset, 100, accuracy, Map.of(), List.of());
  }
}
