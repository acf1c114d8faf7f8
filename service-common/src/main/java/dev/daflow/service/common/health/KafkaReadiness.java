package dev.daflow.service.common.health;

import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.service.common.messaging.ManagedConsumers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Check {@value #NAME}: UP when the broker answers ({@link KafkaProbe}, whose answer is kept a
 * few seconds) and every consumer of the service ({@link ManagedConsumers}) polls. Data: {@code
 * broker} (the cluster id, or why it does not answer) and, where the service consumes, {@code consumer} (what
 * it reads, and why it does not yet).
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
  /** The check's name in {@code /q/health/ready}. */
  public static final String NAME = "kafka";

  private final KafkaProbe probe;
  private final ManagedConsumers consumers;

  public KafkaReadiness(KafkaProbe probe, ManagedConsumers consumers) {
    this.probe = probe;
    this.consumers = consumers;
  }

  @Override
  public HealthCheckResponse call() {
    KafkaProbe.Result broker = probe.check();
    boolean up = broker.reachable();
    List<String> details = new ArrayList<>();
    for (ConsumerReadiness consumer : consumers.all()) {
      boolean consuming = consumer.consuming();
      up &= consuming;
      String problem = consumer.setupProblem();
      details.add(consuming ? "consuming " + consumer.reads()
          : "not consuming " + consumer.reads() + " yet" + (problem == null ? "" : ": " + problem));
    }
    HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).status(up)
        .withData("broker", broker.detail());
    if (!details.isEmpty()) {
      b.withData("consumer", String.join("; ", details));
    }
    return b.build();
  }
}
