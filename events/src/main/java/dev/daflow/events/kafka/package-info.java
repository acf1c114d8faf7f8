/**
 * How a DAFlow process connects to the Kafka cluster the events travel on: {@link
 * dev.daflow.events.kafka.KafkaSecurity}, the one definition of the security settings (protocol,
 * SASL/SCRAM credentials, TLS stores) and of their environment variables, shared by the services
 * (through platform's {@code KafkaSettings}), the CLI and the local stack.
 */
package dev.daflow.events.kafka;
