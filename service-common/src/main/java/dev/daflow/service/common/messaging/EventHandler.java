package dev.daflow.service.common.messaging;

import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.service.common.startup.BackgroundSetup;
import java.util.List;
import java.util.Properties;

/**
 * A service's Kafka consumer, as domain logic only: which topics, in which group, and what to do
 * with each event ({@link #handle}, from {@link EventConsumer.Handler}) and beside the happy path
 * (the {@link EventConsumer.Listener} callbacks: a malformed record, a failed event, partitions
 * taken away). A CDI bean of this type is all a service writes: {@link ManagedConsumers} sets up
 * the topics (and buckets) with the back-off, starts the consumer, binds its Kafka client
 * metrics, counts malformed records, reports readiness and stops it at shutdown.
 */
public interface EventHandler extends EventConsumer.Handler, EventConsumer.Listener {

  /** The group, topics, events in flight and records per poll. */
  EventConsumer.Options options();

  /** Whether the object store's buckets must exist before consuming (default: yes). */
  default boolean needsBuckets() {
    return true;
  }

  /** Set-up of the service's own, after the topics and buckets, before consuming. */
  default List<BackgroundSetup.Step> setup() {
    return List.of();
  }

  /**
   * Adds to the Kafka consumer's properties before it is made (e.g. a partition assignor);
   * nothing by default.
   */
  default void configure(Properties consumerProperties) {}

  /**
   * The consumer is closed (its done records committed): stop what the handler still runs. Called
   * once, at shutdown.
   */
  default void stopped() {}
}
