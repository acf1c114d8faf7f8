package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.evaluator.service.ModelRecord.Job;
import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.events.ModelEvaluated;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRecordTest {

  private static Version version(int n, String job) {
    return new Version(n, job, "bundles/" + job + ".bundle", "c".repeat(64), "final",
        Map.of("source_test_accuracy", 0.9), "2026-01-01T00:00:00Z", "bundle", 4,
        "checkpoints/" + job + "/final.evaluation.json");
  }

  @Test
  void versionsCountFromOneAndAJobKeepsItsVersion() {
    ModelRecord r = ModelRecord.empty("digits");
    assertThat(r.nextVersion()).isEqualTo(1);
    assertThat(r.current()).isEmpty();

    r = r.withVersion(version(1, "job-a")).withVersion(version(2, "job-b"));

    assertThat(r.nextVersion()).isEqualTo(3);
    assertThat(r.current()).map(Version::jobId).contains("job-b");
    assertThat(r.versionOf("job-a")).map(Version::version).contains(1);
    assertThat(r.versionOf("job-c")).isEmpty();
    ModelRecord twice = r;
    assertThatThrownBy(() -> twice.withVersion(version(2, "job-c")))
        .hasMessageContaining("already has version 2");
  }

  @Test
  void theFirstAccountOfAJobWinsAndGapsAreFilled() {
    ModelRecord r = ModelRecord.empty("digits")
        .withJob(new Job("job-a", null, "mnist", null, "t1"));
    r = r.withJob(new Job("job-a", "source-only", "other", "usps", "t2"));

    assertThat(r.jobs()).containsExactly(new Job("job-a", "source-only", "mnist", "usps", "t1"));
    assertThat(r.withJob(new Job("job-a", "dann", "x", "y", "t3"))).isEqualTo(r);
  }

  @Test
  void whoAskedForAJobIsKeptAndOldJobEntriesReadWithoutIt() throws Exception {
    ModelRecord r = ModelRecord.empty("digits")
        .withJob(new Job("job-a", null, "mnist", null, "t1"))
        .withJob(new Job("job-a", "dann", "mnist", "usps", "t2", null, "kafka:daflow-client"))
        .withJob(new Job("job-a", "dann", "mnist", "usps", "t3", null, "jwt:someone-later"));
    // The first account that names the requester wins, as for every field.
    assertThat(r.job("job-a").orElseThrow().requestedBy()).isEqualTo("kafka:daflow-client");
    assertThat(EvaluationStore.JSON.readValue(EvaluationStore.JSON.writeValueAsBytes(r),
        ModelRecord.class)).isEqualTo(r);
    String old = "{\"modelName\":\"digits\",\"versions\":[],\"jobs\":[{\"jobId\":\"job-a\","
        + "\"method\":\"dann\",\"source\":\"mnist\",\"target\":\"usps\",\"seenAt\":\"t\"}]}";
    Job read = EvaluationStore.JSON.readValue(old, ModelRecord.class).job("job-a").orElseThrow();
    assertThat(read.requestedBy()).isNull();
    assertThat(read.target()).isEqualTo("usps");
  }

  @Test
  void recordsSurviveJsonWithNaNAccuracies() throws Exception {
    ModelRecord r = ModelRecord.empty("digits").withVersion(version(1, "job-a"))
        .withJob(new Job("job-a", "dann", "mnist", "usps", "t"));
    byte[] json = EvaluationStore.JSON.writeValueAsBytes(r);
    assertThat(EvaluationStore.JSON.readValue(json, ModelRecord.class)).isEqualTo(r);

    StoredEvaluation e = new StoredEvaluation("checkpoints/job-a/epoch-0000.evaluation.json",
        new ModelEvaluated("digits", "job-a", "checkpoint", "checkpoints/job-a/epoch-0000.bundle",
            0, List.of("0", "1"),
            new ModelEvaluated.Evaluation("mnist/test", 2, 0.5,
                new java.util.LinkedHashMap<>(Map.of("0", 1.0, "1", Double.NaN)),
                List.of(List.of(1, 1), List.of(0, 0))),
            new ModelEvaluated.Evaluation("usps/test", 0, Double.NaN, Map.of(),
                List.of(List.of(0, 0), List.of(0, 0)))),
        "d".repeat(64), "2026-01-01T00:00:00Z", 2.5);
    String text = EvaluationStore.JSON.writeValueAsString(e);
    assertThat(text).contains("\"NaN\"");
    StoredEvaluation back = EvaluationStore.JSON.readValue(text, StoredEvaluation.class);
    assertThat(back.report().source().perClassAccuracy().get("1")).isNaN();
    assertThat(back.targetAccuracy()).isNaN();
    assertThat(back.report().source().confusion()).isEqualTo(e.report().source().confusion());
    assertThat(back.sha256()).isEqualTo(e.sha256());
    assertThat(back.validators()).isEmpty();
  }

  @Test
  void declinedPromotionsAreRecordedOnceAndOldRecordsReadWithoutThem() throws Exception {
    ModelRecord.Declined d = new ModelRecord.Declined("job-b", "bundles/job-b.bundle",
        "e".repeat(64), "im", "not-better", "im", 0.4, 1, 0.5, "worse", "t", "bundle", 2,
        "checkpoints/job-b/final.evaluation.json");
    ModelRecord r = ModelRecord.empty("digits").withVersion(version(1, "job-a")).withDeclined(d);
    assertThat(r.declinedOf("job-b")).contains(d);
    assertThat(r.current()).map(Version::jobId).contains("job-a");
    assertThatThrownBy(() -> r.withDeclined(d)).hasMessageContaining("decided on already");
    ModelRecord promoted = r;
    assertThatThrownBy(() -> promoted.withDeclined(new ModelRecord.Declined("job-a", "k",
        "s", "im", "collapsed", null, null, null, null, "x", "t", "bundle", 0, "e")))
        .hasMessageContaining("decided on already");
    assertThat(EvaluationStore.JSON.readValue(EvaluationStore.JSON.writeValueAsBytes(r),
        ModelRecord.class)).isEqualTo(r);
    // A record written before declines existed.
    String old = "{\"modelName\":\"digits\",\"versions\":[],\"jobs\":[]}";
    assertThat(EvaluationStore.JSON.readValue(old, ModelRecord.class).declined()).isEmpty();
  }
}
