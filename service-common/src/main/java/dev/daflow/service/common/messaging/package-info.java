/**
 * The services' Kafka consumers: a service writes an {@link
 * dev.daflow.service.common.messaging.EventHandler} (which events, what to call, what to do with
 * malformed, failed and revoked ones); {@link dev.daflow.service.common.messaging.ManagedConsumers}
 * runs a {@link dev.daflow.service.common.messaging.ManagedConsumer} for each: set-up with the
 * back-off, the consumer, its Kafka client metrics, the malformed-events counter, readiness and
 * an orderly shutdown.
 */
package dev.daflow.service.common.messaging;
