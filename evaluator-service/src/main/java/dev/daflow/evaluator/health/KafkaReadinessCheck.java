package dev.daflow.evaluator.health;

import dev.daflow.evaluator.messaging.TrainingEventsListener;
import dev.daflow.platform.kafka.KafkaProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Kafka broker answers and the consumer of {@code daflow.training} runs. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
  @Inject
  KafkaProbe probe;

  @Inject
  TrainingEventsListener listener;

  @Override
  public HealthCheckResponse call() {
    KafkaProbe.Result kafka = probe.check();
    boolean consuming = listener.isConsuming();
    return HealthCheckResponse.named("kafka")
        .status(kafka.reachable() && consuming)
        .withData("broker", kafka.detail())
        .withData("consumer", consuming ? "consuming daflow.training as "
            + TrainingEventsListener.GROUP : "not consuming (setting up topics and buckets)")
        .build();
  }
}
