package dev.daflow.inference.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The readiness checks of {@code /q/health/ready}: Kafka, the object store, a loaded model. */
public final class ReadinessChecks {
  private ReadinessChecks() {}

  private static HealthCheckResponse response(String name,
      ServiceReadiness.Status s) {
    return HealthCheckResponse.named(name).status(s.up()).withData("detail", s.detail()).build();
  }

  /** Kafka reachable and the promotions consumer polling. */
  @Readiness
  @ApplicationScoped
  public static class Kafka implements HealthCheck {
    @Inject
    ServiceReadiness readiness;

    @Override
    public HealthCheckResponse call() {
      return response("kafka", readiness.kafka());
    }
  }

  /** The object store reachable with its buckets. */
  @Readiness
  @ApplicationScoped
  public static class ObjectStore implements HealthCheck {
    @Inject
    ServiceReadiness readiness;

    @Override
    public HealthCheckResponse call() {
      return response("object-store", readiness.store());
    }
  }

  /** At least one model loaded. */
  @Readiness
  @ApplicationScoped
  public static class Models implements HealthCheck {
    @Inject
    ServiceReadiness readiness;

    @Override
    public HealthCheckResponse call() {
      return response("models", readiness.models());
    }
  }
}
