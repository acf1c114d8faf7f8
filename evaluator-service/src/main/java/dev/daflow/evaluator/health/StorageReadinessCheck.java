package dev.daflow.evaluator.health;

import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the object store answers and every DAFlow bucket exists. */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {
  @Inject
  ObjectStore store;

  @Override
  public HealthCheckResponse call() {
    StorageHealth health = store.health();
    return HealthCheckResponse.named("object-store")
        .status(health.ready())
        .withData("endpoint", health.endpoint())
        .withData("detail", health.ready() ? "reachable, buckets present"
            : String.valueOf(health.problem()))
        .build();
  }
}
