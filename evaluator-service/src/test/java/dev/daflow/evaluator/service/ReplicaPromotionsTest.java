package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.local.S3Server;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two evaluator replicas (two {@link EvaluationService}s, each with its own {@link
 * EvaluationStore} and client) promoting jobs of one model at once, against the tests' real S3
 * server (local-stack's S3Proxy process): the promotions get the consecutive versions 1..N, none
 * lost, none given twice, and a job both replicas promote (a redelivery to the other replica) gets
 * one version, announced by both under that number.
 */
class ReplicaPromotionsTest {
  private static final String MODEL = "raced-model";
  private static final int JOBS = 12;

  @TempDir
  Path dir;

  @Test
  void concurrentPromotionsGetConsecutiveVersionsNoneLostNoneTwice() throws Exception {
    List<ModelPromoted> announced = Collections.synchronizedList(new ArrayList<>());
    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("s3.log"),
            S3Server.Settings.local());
        ObjectStore storeA = new ObjectStore(server.config());
        ObjectStore storeB = new ObjectStore(server.config())) {
      storeA.ensureBuckets();
      EvaluationService a = replica(storeA, announced);
      EvaluationService b = replica(storeB, announced);
      List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();

      // Each replica promotes every job, in opposite orders: each job is promoted by both.
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<String> reversed = new ArrayList<>(jobs);
        Collections.reverse(reversed);
        Future<?> first = pool.submit(() -> promoteAll(a, jobs, start));
        Future<?> second = pool.submit(() -> promoteAll(b, reversed, start));
        start.countDown();
        first.get(120, TimeUnit.SECONDS);
        second.get(120, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }

      ModelRecord record = new EvaluationStore(storeA).model(MODEL).orElseThrow();
      assertThat(record.versions()).extracting(Version::version).as("consecutive, from 1")
          .containsExactlyElementsOf(IntStream.rangeClosed(1, JOBS).boxed().toList());
      assertThat(record.versions()).extracting(Version::jobId).as("every job once")
          .containsExactlyInAnyOrderElementsOf(jobs);
      // Both replicas announced each job, under the one version it got.
      Map<String, List<Integer>> byJob = announced.stream().collect(Collectors.groupingBy(
          ModelPromoted::jobId, Collectors.mapping(ModelPromoted::version, Collectors.toList())));
      assertThat(byJob).hasSize(JOBS);
      byJob.forEach((job, versions) -> assertThat(versions).as(job).hasSize(2)
          .containsOnly(record.versionOf(job).orElseThrow().version()));
    }
  }

  private static Void promoteAll(EvaluationService replica, List<String> jobs,
      CountDownLatch start) throws InterruptedException {
    start.await();
    for (String job : jobs) {
      replica.promote(MODEL, job, finalEvaluation(job));
    }
    return null;
  }

  private static EvaluationService replica(ObjectStore store, List<ModelPromoted> announced) {
    return new EvaluationService(new EvaluationStore(store), null,
        PromotionPolicy.named(PromotionPolicy.FINAL),
        (event, id) -> announced.add((ModelPromoted) event),
        new EvaluatorMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
        EvaluationService.Retries.DEFAULT);
  }

  /** A job's final-bundle evaluation, as evaluate() stores it (not stored here: no epochs). */
  private static StoredEvaluation finalEvaluation(String job) {
    ModelEvaluated report = new ModelEvaluated(MODEL, job, StoredEvaluation.BUNDLE,
        ObjectKeys.bundle(job), 0, List.of("0", "1"), result("mnist/test"), result("usps/test"));
    return new StoredEvaluation(ObjectKeys.finalEvaluation(job), report, "ab".repeat(32),
        "2026-01-01T00:00:00Z", 1.0);
  }

  private static ModelEvaluated.Evaluation result(String dataset) {
    return new ModelEvaluated.Evaluation(dataset, 100, 0.9, Map.of("0", 0.9, "1", 0.9),
        List.of(List.of(45, 5), List.of(5, 45)));
  }
}
