package dev.daflow.data.health;

import dev.daflow.data.config.StartupTasks;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageHealth;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the Kafka broker answers, the object store answers with every bucket present, and
 * the start-up tasks (topics, buckets) are done. {@code /q/health/ready}.
 */
@Readiness
@Singleton
public class DataReadiness implements HealthCheck {
  private final KafkaProbe kafka;
  private final ObjectStore store;
  private final StartupTasks startup;

  public DataReadiness(KafkaProbe kafka, ObjectStore store, StartupTasks startup) {
    this.kafka = kafka;
    this.store = store;
    this.startup = startup;
  }

  @Override
  public HealthCheckResponse call() {
    KafkaProbe.Result k = kafka.check();
    StorageHealth s = store.health();
    HealthCheckResponseBuilder r = HealthCheckResponse.named("data-service")
        .status(k.reachable() && s.ready() && startup.done())
        .withData("kafka", k.detail())
        .withData("storage", s.ready() ? "ready at " + s.endpoint() : String.valueOf(s.problem()));
    if (!startup.done()) {
      r.withData("startup", startup.problem());
    }
    return r.build();
  }
}
