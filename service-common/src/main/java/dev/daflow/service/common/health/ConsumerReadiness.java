package dev.daflow.service.common.health;

import dev.daflow.platform.kafka.EventConsumer;

/**
 * A Kafka consumer a service runs, as {@link KafkaReadiness} sees it: the service is not ready
 * until each of its consumers polls. Service-common's {@code ManagedConsumer} implements it for
 * every event handler; a service that only produces has none.
 */
public interface ConsumerReadiness {

  /** The consumer once it is started, else {@code null} (topics still being set up...). */
  EventConsumer consumer();

  /** For people: what it reads, e.g. {@code daflow.training as daflow-evaluator}. */
  String reads();

  /** Why the consumer is not started yet, for people; {@code null} when not known. */
  default String setupProblem() {
    return null;
  }

  /** Whether the consumer polls. */
  default boolean consuming() {
    EventConsumer c = consumer();
    return c != null && c.isRunning();
  }
}
