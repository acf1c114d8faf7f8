package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.evaluator.service.ModelRecord.Job;
import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.evaluator.service.ModelReports.ReferencePlan;
import dev.daflow.evaluator.service.ModelReports.Subject;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.local.S3Server;
import dev.daflow.storage.JsonDocuments;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelReports}: which reference the proxy A-distance before adaptation is measured on,
 * and the report of a version promoted by hand.
 */
class ModelReportsTest {
  private static final String SRC = "mnist";
  private static final String TGT = "usps";

  private static Version version(int n, String job, String at) {
    return new Version(n, job, ObjectKeys.bundle(job), job + "-sha", "im", Map.of(), at,
        StoredEvaluation.BUNDLE, 2, ObjectKeys.finalEvaluation(job));
  }

  /** A model with one promoted version of a source-only job of {@code src -> tgt}. */
  private static ModelRecord sourceOnly(String model, String job, String network, String src,
      String tgt, String promotedAt) {
    return new ModelRecord(model, List.of(version(1, job, promotedAt)),
        List.of(new Job(job, "source-only", src, tgt, promotedAt, network, null)));
  }

  private static StoredEvaluation epoch(String job, int epoch, String sha) {
    ModelEvaluated.Evaluation e = new ModelEvaluated.Evaluation("x/test", 1, 1.0, Map.of(),
        List.of());
    return new StoredEvaluation(ObjectKeys.evaluation(job, epoch), new ModelEvaluated("m", job,
        StoredEvaluation.CHECKPOINT, ObjectKeys.checkpointBundle(job, epoch), epoch,
        List.of("0"), e, e), sha, "2026-01-01T00:00:00Z", 1.0);
  }

  private static List<String> kinds(List<ReferencePlan> plans) {
    return plans.stream().map(ReferencePlan::kind).toList();
  }

  @Test
  void aMethodWithSourcePretrainingIsMeasuredAtTheEndOfThatPhaseFirst() {
    // ADDA, 5 pre-training epochs (0..4) then adaptation; epoch 4's bundle was evaluated.
    Subject adda = new Subject("job-a", "adda", 5, 7, "lenet", SRC, TGT);
    List<ReferencePlan> plans = ModelReports.references(adda,
        List.of(epoch("job-a", 3, "s3"), epoch("job-a", 4, "s4"), epoch("job-a", 5, "s5")),
        List.of(sourceOnly("so", "job-so", "lenet", SRC, TGT, "2026-01-02T00:00:00Z")));
    assertThat(kinds(plans)).containsExactly(ModelReport.SOURCE_PHASE,
        ModelReport.SOURCE_ONLY_MODEL, ModelReport.INPUT_PIXELS);
    ReferencePlan first = plans.get(0);
    assertThat(first.bundleKey()).isEqualTo(ObjectKeys.checkpointBundle("job-a", 4));
    assertThat(first.sha256()).as("verified as evaluated").isEqualTo("s4");
    assertThat(first.description()).contains("source pre-training", "epoch 4", "adda")
        .doesNotContain("not adapted");
    // Not evaluated (the evaluation failed): the bundle is still read, by its own checksum; the
    // fallbacks say why they are used.
    List<ReferencePlan> unevaluated = ModelReports.references(adda, List.of(), List.of());
    assertThat(unevaluated.get(0).sha256()).isNull();
    assertThat(plans.get(1).description()).contains("pre-training bundle could not be read");
    assertThat(unevaluated.get(1).description()).contains("pre-training bundle could not be read",
        "no source-only model of mnist -> usps");
    // A promoted bundle from the pre-training itself says it is not adapted.
    assertThat(ModelReports.references(new Subject("job-a", "shot-im", 5, 2, "lenet", SRC, TGT),
        List.of(), List.of()).get(0).description()).contains("not adapted");
  }

  @Test
  void aJointlyTrainedMethodTakesASourceOnlyModelOfTheSamePairSameNetworkAndNewestFirst() {
    Subject dann = new Subject("job-d", "dann", 0, 2, "lenet", SRC, TGT);
    List<ModelRecord> models = List.of(
        sourceOnly("old-lenet", "job-1", "lenet", SRC, TGT, "2026-01-01T00:00:00Z"),
        sourceOnly("other-net", "job-2", "dann-svhn", SRC, TGT, "2026-01-05T00:00:00Z"),
        sourceOnly("new-lenet", "job-3", "lenet", SRC, TGT, "2026-01-03T00:00:00Z"),
        sourceOnly("other-pair", "job-4", "lenet", "svhn", "mnist", "2026-01-09T00:00:00Z"),
        sourceOnly("reverse", "job-5", "lenet", TGT, SRC, "2026-01-09T00:00:00Z"),
        // adapted models are no reference, whatever their pair
        new ModelRecord("dann-model", List.of(version(1, "job-6", "2026-01-09T00:00:00Z")),
            List.of(new Job("job-6", "dann", SRC, TGT, "t", "lenet", null))));
    List<ReferencePlan> plans = ModelReports.references(dann, List.of(), models);
    assertThat(kinds(plans)).containsExactly(ModelReport.SOURCE_ONLY_MODEL,
        ModelReport.SOURCE_ONLY_MODEL, ModelReport.SOURCE_ONLY_MODEL, ModelReport.INPUT_PIXELS);
    assertThat(plans.subList(0, 3)).extracting(ReferencePlan::bundleKey).containsExactly(
        ObjectKeys.bundle("job-3"), ObjectKeys.bundle("job-1"), ObjectKeys.bundle("job-2"));
    assertThat(plans.get(0).sha256()).isEqualTo("job-3-sha");
    assertThat(plans.get(0).description()).contains("new-lenet version 1", "job-3",
        "the same as this model's", "mnist -> usps", "dann has no source-only phase");
    assertThat(plans.get(2).description()).contains("not this model's lenet");
  }

  @Test
  void withoutSourcePhaseOrSourceOnlyModelTheInputPixelsAreTheReference() {
    List<ReferencePlan> plans = ModelReports.references(new Subject("job-m", "mcc", 0, 2,
        "lenet", SRC, TGT), List.of(), List.of(sourceOnly("x", "job-x", "lenet", "svhn", TGT,
            "2026-01-01T00:00:00Z")));
    assertThat(kinds(plans)).containsExactly(ModelReport.INPUT_PIXELS);
    assertThat(plans.get(0).bundleKey()).isNull();
    assertThat(plans.get(0).description()).contains("the pictures as this model's input layer",
        "no source-only model of mnist -> usps");
    // A source-only model is not adapted: not even another source-only model is its reference.
    List<ReferencePlan> own = ModelReports.references(new Subject("job-s", "source-only", 0, 2,
        "lenet", SRC, TGT), List.of(), List.of(sourceOnly("y", "job-y", "lenet", SRC, TGT,
            "2026-01-01T00:00:00Z")));
    assertThat(kinds(own)).containsExactly(ModelReport.INPUT_PIXELS);
    assertThat(own.get(0).description()).contains("trained on the source alone");
  }

  /**
   * A version promoted by hand serves an earlier version's bundle: its page shows the report of
   * that bundle with its own promotion, who promoted it and from which version; the original
   * version's page is unchanged; a version whose job has no report has none.
   */
  @Test
  void theReportOfAVersionPromotedByHandShowsThatPromotion(@TempDir Path dir) throws Exception {
    String model = "digits";
    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("s3.log"),
            S3Server.Settings.local());
        ObjectStore objects = new ObjectStore(server.config())) {
      objects.ensureBuckets();
      EvaluationStore store = new EvaluationStore(objects);
      EvaluatorMetrics metrics = new EvaluatorMetrics(new SimpleMeterRegistry());
      EvaluationService policy = new EvaluationService(store, null,
          PromotionPolicy.named(PromotionPolicy.FINAL), (event, id) -> { }, metrics,
          Clock.systemUTC(), EvaluationService.Retries.DEFAULT);
      ModelReport computed = null;
      for (String job : List.of("job-1", "job-2")) {
        String sha = objects.put(ObjectKeys.bundle(job), job.getBytes(StandardCharsets.UTF_8),
            "application/octet-stream").sha256();
        ModelEvaluated.Evaluation e = new ModelEvaluated.Evaluation("mnist/test", 4, 0.75,
            Map.of("a", 1.0, "b", 0.5), List.of(List.of(2, 0), List.of(1, 1)));
        policy.promote(model, job, new StoredEvaluation(ObjectKeys.finalEvaluation(job),
            new ModelEvaluated(model, job, StoredEvaluation.BUNDLE, ObjectKeys.bundle(job), 0,
                List.of("a", "b"), e, e), sha, "2026-01-01T00:00:00Z", 1.0));
        if (job.equals("job-1")) {
          // The report of version 1, as the worker stores it after the promotion.
          Version v1 = store.model(model).orElseThrow().version(1).orElseThrow();
          ModelReport r = ReportPageTest.report(null, List.of());
          computed = new ModelReport(model, 1, job, v1.bundleKey(), v1.sha256(), v1.policy(),
              v1.promotedAt(), null, "mnist", "usps", r.epochs(), r.classNames(), r.source(),
              r.target(), r.embeddings(), r.distances(), r.mistakes(), r.targetWrong(),
              r.computedAt(), r.seconds(), r.reference(), null, null);
          new JsonDocuments(objects, EvaluationStore.JSON).put(ObjectKeys.report(job), computed);
        }
      }
      new ManualPromotions(store, (event, id, who) -> { }, metrics, Clock.systemUTC())
          .promote(model, 1, "alice");
      ModelReports reports = new ModelReports(store, objects, null, Clock.systemUTC(), 4);

      ModelReport v3 = reports.report(model, 3).orElseThrow();
      assertThat(v3.version()).isEqualTo(3);
      assertThat(v3.policy()).isEqualTo(Version.MANUAL);
      assertThat(v3.promotedBy()).isEqualTo("alice");
      assertThat(v3.promotedFrom()).isEqualTo(1);
      assertThat(v3.promotedAt()).isEqualTo(store.model(model).orElseThrow().version(3)
          .orElseThrow().promotedAt()).isNotEqualTo(computed.promotedAt());
      assertThat(v3.bundleKey()).isEqualTo(computed.bundleKey());
      assertThat(v3.distances()).isEqualTo(computed.distances());
      assertThat(v3.reference()).isEqualTo(computed.reference());
      String page = ReportPage.render(v3, null);
      assertThat(page).contains("<h1>digits version 3</h1>",
          "promoted by hand " + v3.promotedAt() + " by <b>alice</b>, serving again the bundle of "
              + "version 1")
          .doesNotContain("by policy <code>");

      ModelReport v1 = reports.report(model, 1).orElseThrow();
      // as stored (a card stored as null reads back as JSON null)
      assertThat(v1).usingRecursiveComparison().ignoringFields("card").isEqualTo(computed);
      assertThat(v1.promotedBy()).isNull();
      assertThat(ReportPage.render(v1, null)).contains("<h1>digits version 1</h1>",
          "by policy <code>final</code>").doesNotContain("promoted by hand");
      assertThat(reports.report(model, 2)).as("job-2's report is not made").isEmpty();
      assertThat(reports.report(model, 9)).isEmpty();
      // Its job's report is of another bundle than the version serves: not shown as its report.
      objects.put(ObjectKeys.report("job-2"), objects.getBytes(ObjectKeys.report("job-1")),
          "application/json");
      assertThat(reports.report(model, 2)).isEmpty();
    }
  }
}
