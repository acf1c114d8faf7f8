/**
 * The plumbing every DAFlow service shares, as one Quarkus library: {@code config} (the common
 * settings and the producer of the clients), {@code rest} (the error envelope and the
 * infrastructure error mappers), {@code health} (the Kafka and object-store readiness checks),
 * {@code metrics} (the malformed-events counter), {@code retry} (the one back-off policy), {@code
 * startup} (set-up in the background, retried) and {@code messaging} (the managed consumer that
 * runs each event handler). A service depends on this module and keeps
 * only what is its own.
 */
package dev.daflow.service.common;
