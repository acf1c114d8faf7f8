/**
 * Kafka plumbing the services share: {@link dev.daflow.platform.kafka.EventPublisher} (waits for
 * the broker's acknowledgement), {@link dev.daflow.platform.kafka.EventConsumer} (at-least-once,
 * commits only handled records, skips malformed ones), topic set-up and a readiness probe.
 */
package dev.daflow.platform.kafka;
