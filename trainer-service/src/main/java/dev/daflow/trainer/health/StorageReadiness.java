package dev.daflow.trainer.health;

import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the object store answers and the three buckets exist. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
  private final ObjectStore store;

  public StorageReadiness(ObjectStore store) {
    this.store = store;
  }

  @Override
  public HealthCheckResponse call() {
    StorageHealth health = store.health();
    HealthCheckResponseBuilder b = HealthCheckResponse.named("object-store")
        .status(health.ready())
        .withData("endpoint", health.endpoint());
    if (health.problem() != null) {
      b.withData("problem", health.problem());
    }
    return b.build();
  }
}
