package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingRequested;
import dev.daflow.local.S3Server;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobRecords} on the tests' real S3 server (local-stack's S3Proxy process): conditional
 * updates that never lose a cancel request racing the epochs' updates, the cancel-request merge
 * rule, and a listing that reads only the job records.
 */
class JobRecordsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

  @TempDir
  static Path dir;

  static S3Server server;
  static ObjectStore store;
  static JobRecords records;

  @BeforeAll
  static void start() {
    server = S3Server.start(dir.resolve("s3"), dir.resolve("s3.log"), S3Server.Settings.local());
    store = new ObjectStore(server.config());
    store.ensureBuckets();
    records = new JobRecords(store);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static JobRecord running(String jobId, Instant created) {
    TrainingRequested r = new TrainingRequested(jobId, null, "dann", "mnist", "usps", null, 30,
        64, 0.01, null, "none", 7, 600);
    return new JobRecord(jobId, "dann-mnist-usps", r, "req-1", JobState.RUNNING, "trainer-a",
        "lenet", null, 30, false, null, null, created, created, created, null, null);
  }

  private static EpochBundleSaved saved(String jobId, int epoch) {
    return new EpochBundleSaved(jobId, "dann-mnist-usps", epoch, "adapt", "mnist", "usps",
        ObjectKeys.checkpointBundle(jobId, epoch), "0f".repeat(32), Map.of("label", 0.25), 3.5,
        1200);
  }

  @Test
  void aCancelRequestRacingTheEpochUpdatesIsNeverLost() throws Exception {
    int epochs = 20;
    for (int round = 0; round < 3; round++) {
      String jobId = "job-race-" + round;
      records.write(running(jobId, T0));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch start = new CountDownLatch(1);
        // The replica running the job records each epoch; another one takes a cancel request.
        Future<?> trainer = pool.submit(() -> {
          start.await();
          for (int e = 0; e < epochs; e++) {
            int epoch = e;
            records.update(jobId, r -> r.withCheckpoint(saved(jobId, epoch), T0));
          }
          return null;
        });
        Future<?> cancel = pool.submit(() -> {
          start.await();
          return records.update(jobId, r -> r.withCancelRequested(true, T0));
        });
        start.countDown();
        trainer.get(60, TimeUnit.SECONDS);
        cancel.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      JobRecord stored = records.find(jobId).orElseThrow();
      assertThat(stored.cancelRequested()).as("round %d: the cancel request", round).isTrue();
      assertThat(stored.epoch()).as("round %d: the last epoch", round).isEqualTo(epochs - 1);
    }
  }

  @Test
  void aNewRunKeepsAPendingCancelButNotAFinishedOnes() {
    String jobId = "job-merge";
    records.write(running(jobId, T0));
    records.update(jobId, r -> r.withCancelRequested(true, T0));
    // A new run's record written over a running one that someone asked to cancel: kept.
    assertThat(records.write(running(jobId, T0)).cancelRequested()).isTrue();
    // Once cancelled (terminal), a new run starts without the old request.
    records.update(jobId, r -> r.withState(JobState.CANCELLED, T0));
    assertThat(records.write(running(jobId, T0)).cancelRequested()).isFalse();
    assertThat(records.find(jobId).orElseThrow().cancelRequested()).isFalse();

    assertThatThrownBy(() -> records.update("job-unknown", r -> r))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job job-unknown has no record at checkpoints/job-unknown/job.json");
  }

  @Test
  void theListingReadsJobRecordsOnlyNewestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String jobId = "job-list-" + i;
      ids.add(0, jobId);
      records.write(running(jobId, T0.plusSeconds(60 + i)));
      store.put(ObjectKeys.checkpoint(jobId, 0), new byte[] {1}, ObjectStore.OCTET_STREAM);
    }
    // A job folder without a record (its run died before writing it), and one not readable.
    store.put(ObjectKeys.checkpoint("job-list-orphan", 0), new byte[] {1}, null);
    store.put(ObjectKeys.jobRecord("job-list-garbage"),
        "not json".getBytes(StandardCharsets.UTF_8), "application/json");

    List<String> listed = records.list().stream().map(JobRecord::jobId)
        .filter(id -> id.startsWith("job-list-")).toList();
    assertThat(listed).containsExactlyElementsOf(ids);
  }
}
