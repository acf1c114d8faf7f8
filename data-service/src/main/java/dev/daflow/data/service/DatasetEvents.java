package dev.daflow.data.service;

import dev.daflow.events.DatasetDeleted;
import dev.daflow.events.DatasetIngested;
import dev.daflow.events.DatasetRejected;

/**
 * Where the service announces what happened to datasets: Kafka in the service ({@code
 * messaging.KafkaDatasetEvents}), a list in unit tests. Both calls return once the event is
 * stored, and throw when it could not be.
 */
public interface DatasetEvents {

  /** Publishes {@code dataset.ingested} under a deterministic id. */
  void ingested(DatasetIngested event, String id);

  /** Publishes {@code dataset.rejected} (random id: every refusal is its own fact). */
  void rejected(DatasetRejected event);

  /**
   * Publishes {@code dataset.deleted} for {@code principal} (who deleted it, {@code
   * jwt:<name>}; the {@code principal} attribute), random id: every deletion is its own fact.
   */
  void deleted(DatasetDeleted event, String principal);
}
