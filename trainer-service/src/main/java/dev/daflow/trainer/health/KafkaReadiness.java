package dev.daflow.trainer.health;

import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.trainer.messaging.TrainingRequestsListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the broker answers and the training requests are being consumed. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
  private final KafkaProbe probe;
  private final TrainingRequestsListener listener;

  public KafkaReadiness(KafkaProbe probe, TrainingRequestsListener listener) {
    this.probe = probe;
    this.listener = listener;
  }

  @Override
  public HealthCheckResponse call() {
    KafkaProbe.Result result = probe.check();
    boolean consuming = listener.consuming();
    HealthCheckResponseBuilder b = HealthCheckResponse.named("kafka")
        .status(result.reachable() && consuming)
        .withData("broker", result.detail())
        .withData("consuming", consuming);
    String problem = listener.setupProblem();
    if (!consuming && problem != null) {
      b.withData("problem", problem);
    }
    return b.build();
  }
}
