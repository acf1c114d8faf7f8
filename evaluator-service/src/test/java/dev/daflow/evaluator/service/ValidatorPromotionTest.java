package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.ModelPromotionDeclined;
import dev.daflow.local.S3Server;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion by a label-free validator against the tests' real S3 server (local-stack's S3Proxy
 * process), the evaluations and the model record stored there as the service stores them: a
 * first version is promoted, a worse challenger and a collapsed one are declined with their
 * reason codes ({@code model.promotion.declined}), a better one is promoted, a redelivery
 * announces the recorded decision again, and a collapsed model is declined under {@code final}
 * too.
 */
class ValidatorPromotionTest {
  private static final String MODEL = "digits";

  @TempDir
  Path dir;

  private final List<DaflowEvent> announced = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();

  @Test
  void promotesOnlyBetterAndNeverCollapsedVersions() throws Exception {
    withStore(store -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      EvaluationService service = service(store, "im", registry);

      // Version 1: nothing to beat.
      service.promote(MODEL, "job-1", stored(store, "job-1", "usps/test", 0.50, false));
      ModelPromoted v1 = (ModelPromoted) last();
      assertThat(v1.version()).isEqualTo(1);
      assertThat(v1.policy()).isEqualTo("im");
      assertThat(v1.metrics()).containsEntry("im", 0.50).containsKey("source_test_accuracy");

      // A worse challenger (lower IM), though better on the target's labels: declined.
      service.promote(MODEL, "job-2", stored(store, "job-2", "usps/test", 0.40, false));
      ModelPromotionDeclined worse = (ModelPromotionDeclined) last();
      assertThat(worse.reason()).isEqualTo(ModelPromotionDeclined.NOT_BETTER);
      assertThat(worse.jobId()).isEqualTo("job-2");
      assertThat(worse.validator()).isEqualTo("im");
      assertThat(worse.candidateValue()).isEqualTo(0.40);
      assertThat(worse.currentVersion()).isEqualTo(1);
      assertThat(worse.currentValue()).isEqualTo(0.50);
      assertThat(worse.bundleKey()).isEqualTo(ObjectKeys.bundle("job-2"));
      assertThat(worse.detail()).contains("does not beat version 1");
      assertThat(lastId()).isEqualTo(EventIds.of(EventType.MODEL_PROMOTION_DECLINED, MODEL,
          "job-2"));

      // A tie does not beat it either.
      service.promote(MODEL, "job-tie", stored(store, "job-tie", "usps/test", 0.50, false));
      assertThat(((ModelPromotionDeclined) last()).reason())
          .isEqualTo(ModelPromotionDeclined.NOT_BETTER);

      // A collapsed one with the best IM of all: declined as collapsed, nothing compared.
      service.promote(MODEL, "job-3", stored(store, "job-3", "usps/test", 0.90, true));
      ModelPromotionDeclined collapsed = (ModelPromotionDeclined) last();
      assertThat(collapsed.reason()).isEqualTo(ModelPromotionDeclined.COLLAPSED);
      assertThat(collapsed.validator()).isEqualTo("largest_class_share");
      assertThat(collapsed.candidateValue()).isEqualTo(0.8);
      assertThat(collapsed.currentVersion()).isNull();
      assertThat(collapsed.detail()).contains("80.0%").contains("55.0%");

      // A better one: version 2.
      service.promote(MODEL, "job-4", stored(store, "job-4", "usps/test", 0.70, false));
      ModelPromoted v2 = (ModelPromoted) last();
      assertThat(v2.version()).isEqualTo(2);
      assertThat(v2.jobId()).isEqualTo("job-4");

      // Redelivered: the recorded decision again, under the same id; nothing new recorded
      // (job-2 would not be compared with version 2 any more).
      int before = announced.size();
      service.promote(MODEL, "job-2", stored(store, "job-2", "usps/test", 0.40, false));
      assertThat(announced).hasSize(before + 1);
      assertThat(last()).isEqualTo(worse);
      assertThat(lastId()).isEqualTo(EventIds.of(EventType.MODEL_PROMOTION_DECLINED, MODEL,
          "job-2"));

      // Another target: not comparable with version 2, promoted.
      service.promote(MODEL, "job-mnistm", stored(store, "job-mnistm", "mnist-m/test", 0.10,
          false));
      assertThat(((ModelPromoted) last()).version()).isEqualTo(3);

      ModelRecord record = store.model(MODEL).orElseThrow();
      assertThat(record.versions()).extracting(ModelRecord.Version::jobId)
          .containsExactly("job-1", "job-4", "job-mnistm");
      assertThat(record.declined()).extracting(ModelRecord.Declined::jobId)
          .containsExactly("job-2", "job-tie", "job-3");
      assertThat(record.declined()).extracting(ModelRecord.Declined::reason)
          .containsExactly("not-better", "not-better", "collapsed");
      assertThat(registry.get("daflow.promotions.declined").tag("reason", "not-better")
          .counter().count()).isEqualTo(2.0);
      assertThat(registry.get("daflow.promotions.declined").tag("reason", "collapsed")
          .counter().count()).isEqualTo(1.0);

      // Under 'final' too, a collapsed model is never promoted.
      EvaluationService finalPolicy = service(store, "final", new SimpleMeterRegistry());
      finalPolicy.promote("other", "job-5", stored(store, "job-5", "usps/test", 0.9, true));
      assertThat(((ModelPromotionDeclined) last()).reason())
          .isEqualTo(ModelPromotionDeclined.COLLAPSED);
      assertThat(store.model("other").orElseThrow().versions()).isEmpty();
      // ...and 'final' compares with no serving version: a lower IM is promoted.
      finalPolicy.promote("other", "job-6", stored(store, "job-6", "usps/test", 0.9, false));
      finalPolicy.promote("other", "job-7", stored(store, "job-7", "usps/test", 0.1, false));
      assertThat(((ModelPromoted) last()).version()).isEqualTo(2);
    });
  }

  @Test
  void sourceValidationComparesOnlyModelsTrainedFromTheSameSource() throws Exception {
    withStore(store -> {
      EvaluationService service = service(store, PromotionPolicy.DEFAULT,
          new SimpleMeterRegistry());

      service.promote(MODEL, "job-1", stored(store, "job-1", "mnist/test", "usps/test",
          "source_val_accuracy", 0.97, false));
      assertThat(((ModelPromoted) last()).policy()).isEqualTo("source-val-accuracy");
      // Same source and target, a lower held-out source accuracy: declined.
      service.promote(MODEL, "job-2", stored(store, "job-2", "mnist/test", "usps/test",
          "source_val_accuracy", 0.95, false));
      ModelPromotionDeclined worse = (ModelPromotionDeclined) last();
      assertThat(worse.reason()).isEqualTo(ModelPromotionDeclined.NOT_BETTER);
      assertThat(worse.validator()).isEqualTo("source_val_accuracy");
      assertThat(worse.currentValue()).isEqualTo(0.97);
      // Trained from another source: its source accuracy says nothing against version 1's,
      // not compared with, promoted.
      service.promote(MODEL, "job-3", stored(store, "job-3", "svhn/test", "usps/test",
          "source_val_accuracy", 0.90, false));
      assertThat(((ModelPromoted) last()).version()).isEqualTo(2);
      // A target-side validator compares across sources: under im, a lower value from another
      // source is declined.
      EvaluationService im = service(store, "im", new SimpleMeterRegistry());
      im.promote("by-im", "job-4", stored(store, "job-4", "mnist/test", "usps/test", "im", 0.5,
          false));
      im.promote("by-im", "job-5", stored(store, "job-5", "svhn/test", "usps/test", "im", 0.4,
          false));
      assertThat(((ModelPromotionDeclined) last()).reason())
          .isEqualTo(ModelPromotionDeclined.NOT_BETTER);
    });
  }

  /**
   * By held-out source accuracy a difference within its sampling error is a tie, and the lower
   * DEV decides it (HeldOutComparison); a difference beyond it decides whatever DEV says.
   */
  @Test
  void heldOutAccuracyWithinItsSamplingErrorIsATieThatDevDecides() throws Exception {
    withStore(store -> {
      EvaluationService service = service(store, PromotionPolicy.DEFAULT,
          new SimpleMeterRegistry());

      service.promote(MODEL, "job-1", stored(store, "job-1", heldOut(727, 0.12)));
      assertThat(((ModelPromoted) last()).version()).isEqualTo(1);
      // One of 729 held-out pictures fewer, a lower DEV: a tie that DEV decides, promoted.
      service.promote(MODEL, "job-2", stored(store, "job-2", heldOut(726, 0.10)));
      assertThat(((ModelPromoted) last()).version()).isEqualTo(2);
      // One picture more than version 2, a higher DEV: declined, and the detail says why.
      service.promote(MODEL, "job-3", stored(store, "job-3", heldOut(727, 0.20)));
      ModelPromotionDeclined tie = (ModelPromotionDeclined) last();
      assertThat(tie.reason()).isEqualTo(ModelPromotionDeclined.NOT_BETTER);
      assertThat(tie.currentVersion()).isEqualTo(2);
      assertThat(tie.detail()).contains("a tie, decided by dev");
      // 36 pictures fewer is beyond the sampling error: declined whatever its DEV.
      service.promote(MODEL, "job-4", stored(store, "job-4", heldOut(690, 0.01)));
      ModelPromotionDeclined worse = (ModelPromotionDeclined) last();
      assertThat(worse.reason()).isEqualTo(ModelPromotionDeclined.NOT_BETTER);
      assertThat(worse.detail()).contains("beyond");
    });
  }

  /** What a test does with a fresh store on the tests' real S3 server. */
  @FunctionalInterface
  private interface StoreTest {
    void run(EvaluationStore store) throws Exception;
  }

  private void withStore(StoreTest test) throws Exception {
    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("s3.log"),
            S3Server.Settings.local());
        ObjectStore objects = new ObjectStore(server.config())) {
      objects.ensureBuckets();
      test.run(new EvaluationStore(objects));
    }
  }

  /** Validators of a model right on {@code right} of 729 held-out source pictures. */
  private static Map<String, Double> heldOut(int right, double dev) {
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("source_val_accuracy", right / 729.0);
    v.put("dev", dev);
    v.put("largest_class_share", 0.2);
    v.put("collapsed", 0.0);
    v.put("source_val_pictures", 729.0);
    return v;
  }

  /** A job's bundle evaluation (MNIST -> USPS, target accuracy 0.5) with these validators. */
  private static StoredEvaluation stored(EvaluationStore store, String job,
      Map<String, Double> validators) {
    return stored(store, job, "mnist/test", "usps/test", 0.5, validators);
  }

  private EvaluationService service(EvaluationStore store, String policy,
      SimpleMeterRegistry registry) {
    return new EvaluationService(store, null, PromotionPolicy.named(policy),
        (event, id) -> {
          announced.add(event);
          ids.add(id);
        },
        new EvaluatorMetrics(registry), Clock.systemUTC(), EvaluationService.Retries.DEFAULT);
  }

  private DaflowEvent last() {
    return announced.get(announced.size() - 1);
  }

  private String lastId() {
    return ids.get(ids.size() - 1);
  }

  /**
   * A job's bundle evaluation as evaluate() stores it: its target accuracy is the opposite of its
   * IM (a policy that read it would decide otherwise).
   */
  private static StoredEvaluation stored(EvaluationStore store, String job, String target,
      double im, boolean collapsed) {
    return stored(store, job, "mnist/test", target, "im", im, collapsed);
  }

  /** The same, from {@code source}, with {@code validator} at {@code value}. */
  private static StoredEvaluation stored(EvaluationStore store, String job, String source,
      String target, String validator, double value, boolean collapsed) {
    Map<String, Double> validators = new LinkedHashMap<>();
    validators.put(validator, value);
    validators.put("largest_class_share", collapsed ? 0.8 : 0.2);
    validators.put("collapsed", collapsed ? 1.0 : 0.0);
    return stored(store, job, source, target, 1 - value, validators);
  }

  /** A job's bundle evaluation as evaluate() stores it. */
  private static StoredEvaluation stored(EvaluationStore store, String job, String source,
      String target, double targetAccuracy, Map<String, Double> validators) {
    ModelEvaluated report = new ModelEvaluated(MODEL, job, StoredEvaluation.BUNDLE,
        ObjectKeys.bundle(job), 2, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        result(source, 0.9), result(target, targetAccuracy), validators);
    StoredEvaluation e = new StoredEvaluation(ObjectKeys.finalEvaluation(job), report,
        "ab".repeat(32), "2026-01-01T00:00:00Z", 1.0);
    store.save(e);
    return e;
  }

  private static ModelEvaluated.Evaluation result(String dataset, double accuracy) {
    return new ModelEvaluated.Evaluation(dataset, 100, accuracy, Map.of("0", accuracy),
        List.of(List.of(50)));
  }
}
