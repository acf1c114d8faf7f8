package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EvaluatorMetricsTest {

  @Test
  void accuracyGaugesFollowTheLatestEpochAndCountersCount() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EvaluatorMetrics metrics = new EvaluatorMetrics(registry);

    metrics.evaluated(PromotionPolicyTest.evaluation(StoredEvaluation.CHECKPOINT, 2, 0.9, 0.7),
        Duration.ofSeconds(3));
    // An older epoch evaluated later (a redelivery) does not replace the newer value.
    metrics.evaluated(PromotionPolicyTest.evaluation(StoredEvaluation.CHECKPOINT, 1, 0.5, 0.4),
        Duration.ofSeconds(1));
    metrics.failed();
    metrics.promoted("m", 2);
    metrics.promoted("m", 1);

    assertThat(registry.get("daflow.evaluation.accuracy").tags("model", "m", "job", "j",
        "domain", "source", "artifact", "checkpoint").gauge().value()).isEqualTo(0.9);
    assertThat(registry.get("daflow.evaluation.accuracy").tags("domain", "target",
        "artifact", "checkpoint").gauge().value()).isEqualTo(0.7);
    assertThat(registry.get("daflow.evaluation.epoch").tags("model", "m", "job", "j").gauge()
        .value()).isEqualTo(2);
    assertThat(registry.get("daflow.evaluations").tag("outcome", "ok").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("daflow.evaluations").tag("outcome", "failed").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("daflow.evaluation").timer().count()).isEqualTo(2);
    assertThat(registry.get("daflow.model.promoted.version").tag("model", "m").gauge().value())
        .isEqualTo(2);
  }
}
