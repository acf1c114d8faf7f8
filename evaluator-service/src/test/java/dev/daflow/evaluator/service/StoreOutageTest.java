package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.TrainingStarted;
import dev.daflow.local.S3Server;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store goes away (local-stack's S3 server killed) while the evaluator records a job:
 * the work is waited out with the service's back-off, without limit, and done once the store is
 * back; before, three tries over about 6 s ended in a skipped event, and an evaluation lost. A
 * service that stops (its worker interrupted) stops waiting.
 */
class StoreOutageTest {
  @TempDir
  Path dir;

  @Test
  void anOutageIsWaitedOutNotSkippedAndAStopEndsTheWait() throws Exception {
    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("s3.log"),
            S3Server.Settings.local());
        ObjectStore store = new ObjectStore(server.config())) {
      store.ensureBuckets();
      EvaluationService service = new EvaluationService(new EvaluationStore(store), null,
          PromotionPolicy.named(PromotionPolicy.FINAL), (event, id) -> { },
          new EvaluatorMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
          EvaluationService.Retries.waitingOut(Backoff.fixed(Duration.ofMillis(100))));
      server.stop();

      // Stopping: the worker interrupted while it waits gives the event up (redelivered later).
      AtomicReference<Boolean> stopped = new AtomicReference<>();
      Thread worker = new Thread(() -> stopped.set(service.onTrainingStarted(started("job-a"))));
      worker.start();
      worker.join(1000);
      assertThat(worker.isAlive()).as("still waiting for the store").isTrue();
      worker.interrupt();
      worker.join(10_000);
      assertThat(worker.isAlive()).isFalse();
      assertThat(stopped.get()).isFalse();

      // Waiting: 3 s of outage, 100 ms apart, is far more than the three tries of old.
      CompletableFuture<Boolean> recorded = CompletableFuture.supplyAsync(
          () -> service.onTrainingStarted(started("job-b")));
      try {
        recorded.get(3, TimeUnit.SECONDS);
        throw new AssertionError("gave up while the store was down: " + recorded.join());
      } catch (TimeoutException expected) {
        // still waiting, as it should
      }
      server.restart();
      assertThat(recorded.get(60, TimeUnit.SECONDS)).isTrue();
      ModelRecord record = new EvaluationStore(store).model("outage-model").orElseThrow();
      assertThat(record.job("job-b")).isPresent();
      assertThat(record.job("job-a")).isEmpty();
    }
  }

  private static TrainingStarted started(String job) {
    return new TrainingStarted(job, "outage-model", "dann", "mnist", "usps", "lenet", 2, 0,
        "trainer-1");
  }
}
