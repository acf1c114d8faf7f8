package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.local.S3Server;
import dev.daflow.service.common.ServiceException;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion by hand against the tests' real S3 server: rolling back to version 1 records its
 * bundle as the next version (who, from which version) and announces it; a repeat, or promoting
 * the served bundle, adds nothing and announces the served version again; unknown models and
 * versions and changed bundles are refused with their named errors.
 */
class ManualPromotionsTest {
  private static final String MODEL = "digits";

  @TempDir
  Path dir;

  @Test
  void rollsBackAndForwardAsNewVersionsAnnouncedAsPromotions() throws Exception {
    List<ModelPromoted> announced = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("s3.log"),
            S3Server.Settings.local());
        ObjectStore objects = new ObjectStore(server.config())) {
      objects.ensureBuckets();
      EvaluationStore store = new EvaluationStore(objects);
      EvaluatorMetrics metrics = new EvaluatorMetrics(new SimpleMeterRegistry());
      EvaluationService.Events events = (event, id) -> {
        announced.add((ModelPromoted) event);
        ids.add(id);
      };
      EvaluationService policy = new EvaluationService(store, null,
          PromotionPolicy.named(PromotionPolicy.FINAL), events, metrics, Clock.systemUTC(),
          EvaluationService.Retries.DEFAULT);
      for (String job : List.of("job-1", "job-2")) {
        String sha = objects.put(ObjectKeys.bundle(job), job.getBytes(StandardCharsets.UTF_8),
            "application/octet-stream").sha256();
        policy.promote(MODEL, job, finalEvaluation(job, sha));
      }
      List<String> principals = new ArrayList<>();
      ManualPromotions manual = new ManualPromotions(store, (event, id, principal) -> {
        principals.add(principal);
        events.publish(event, id);
      }, metrics, Clock.systemUTC());
      announced.clear();
      ids.clear();

      ManualPromotions.Outcome back = manual.promote(MODEL, 1, "alice");
      assertThat(back.added()).isTrue();
      Version v3 = back.served();
      assertThat(v3.version()).isEqualTo(3);
      assertThat(v3.jobId()).isEqualTo("job-1");
      assertThat(v3.bundleKey()).isEqualTo(ObjectKeys.bundle("job-1"));
      assertThat(v3.policy()).isEqualTo(Version.MANUAL);
      assertThat(v3.promotedBy()).isEqualTo("alice");
      assertThat(v3.promotedFrom()).isEqualTo(1);
      assertThat(announced).singleElement().satisfies(p -> {
        assertThat(p.version()).isEqualTo(3);
        assertThat(p.bundleKey()).isEqualTo(ObjectKeys.bundle("job-1"));
        assertThat(p.policy()).isEqualTo(Version.MANUAL);
      });
      // Stored, and read back by another client as the serving version.
      ModelRecord stored = new EvaluationStore(objects).model(MODEL).orElseThrow();
      assertThat(stored.current()).contains(v3);
      assertThat(stored.version(1).orElseThrow().promotedBy()).isNull();

      // Again, or the served version itself: nothing recorded, the served one announced again.
      assertThat(manual.promote(MODEL, 1, "alice")).isEqualTo(new ManualPromotions.Outcome(v3,
          false));
      assertThat(manual.promote(MODEL, 3, "bob").added()).isFalse();
      assertThat(announced).extracting(ModelPromoted::version).containsExactly(3, 3, 3);
      assertThat(ids).containsOnly(ids.get(0));
      assertThat(principals).as("each announcement names who asked")
          .containsExactly("alice", "alice", "bob");
      assertThat(store.model(MODEL).orElseThrow().versions()).hasSize(3);

      // Forward again to job-2's bundle.
      Version v4 = manual.promote(MODEL, 2, "bob").served();
      assertThat(v4.version()).isEqualTo(4);
      assertThat(v4.jobId()).isEqualTo("job-2");
      assertThat(v4.promotedFrom()).isEqualTo(2);

      assertThatThrownBy(() -> manual.promote(MODEL, 9, "alice"))
          .isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(ServiceException.Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains("no version 9", "[1, 2, 3, 4]");
          });
      assertThatThrownBy(() -> manual.promote("nothing", 1, "alice"))
          .isInstanceOf(ModelNotFoundException.class);
      assertThatThrownBy(() -> manual.promote(MODEL, 0, "alice"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 or more");
      // A bundle whose bytes changed since they were evaluated is not served.
      objects.put(ObjectKeys.bundle("job-1"), "other".getBytes(StandardCharsets.UTF_8),
          "application/octet-stream");
      assertThatThrownBy(() -> manual.promote(MODEL, 1, "alice"))
          .isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(ServiceException.Kind.CONFLICT);
            assertThat(e.getMessage()).contains("not the evaluated");
          });
      assertThat(store.model(MODEL).orElseThrow().current().orElseThrow().version())
          .isEqualTo(4);
    }
  }

  private static StoredEvaluation finalEvaluation(String job, String sha) {
    ModelEvaluated report = new ModelEvaluated(MODEL, job, StoredEvaluation.BUNDLE,
        ObjectKeys.bundle(job), 0, List.of("0", "1"), result("mnist/test"), result("usps/test"));
    return new StoredEvaluation(ObjectKeys.finalEvaluation(job), report, sha,
        "2026-01-01T00:00:00Z", 1.0);
  }

  private static ModelEvaluated.Evaluation result(String dataset) {
    return new ModelEvaluated.Evaluation(dataset, 100, 0.9, Map.of("0", 0.9, "1", 0.9),
        List.of(List.of(45, 5), List.of(5, 45)));
  }
}
