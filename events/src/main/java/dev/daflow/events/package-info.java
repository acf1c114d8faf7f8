/**
 * The event contract the DAFlow services share, in plain Java (no Quarkus, no CDI).
 *
 * <p>Each event is one record implementing {@link dev.daflow.events.DaflowEvent}; producers and
 * consumers use the same record. {@link dev.daflow.events.EventType} names every event, maps it to
 * its CloudEvents {@code type} and its topic; {@link dev.daflow.events.Topics} holds the topic
 * names. {@link dev.daflow.events.EventCodec} turns an event into a Kafka record in CloudEvents 1.0
 * binary content mode ({@code ce_} headers, JSON value, keyed by the aggregate id) and back,
 * reporting any malformed record as an {@link dev.daflow.events.EventFormatException} so that a
 * consumer can reject it and keep consuming. The topics, keys and payloads are documented in
 * {@code docs/events.md}.
 *
 * <p>As in Debezium's outbox pattern, events are named in the past tense and travel in an
 * id/type/time envelope ({@link dev.daflow.events.EventEnvelope}); consumers are idempotent by the
 * event id ({@link dev.daflow.events.ProcessedEvents}, {@link dev.daflow.events.EventIds}), and the
 * Kafka listener of a service stays apart from its domain logic: the listener decodes, the domain
 * code receives typed records.
 */
package dev.daflow.events;
