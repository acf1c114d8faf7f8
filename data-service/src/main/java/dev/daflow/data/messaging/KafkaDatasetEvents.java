package dev.daflow.data.messaging;

import dev.daflow.data.service.DatasetEvents;
import dev.daflow.events.DatasetDeleted;
import dev.daflow.events.DatasetIngested;
import dev.daflow.events.DatasetRejected;
import dev.daflow.platform.kafka.EventPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the dataset events on {@code daflow.datasets} (key: the dataset name), waiting for the
 * broker's acknowledgement. The data-service only produces: it consumes no topic.
 */
public final class KafkaDatasetEvents implements DatasetEvents {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDatasetEvents.class);

  private final EventPublisher publisher;

  public KafkaDatasetEvents(EventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void ingested(DatasetIngested event, String id) {
    RecordMetadata m = publisher.publish(event, id);
    LOG.info("{}: published dataset.ingested {} ({}-{}@{})", event.dataset(), id, m.topic(),
        m.partition(), m.offset());
  }

  @Override
  public void rejected(DatasetRejected event) {
    RecordMetadata m = publisher.publish(event);
    LOG.info("{}: published dataset.rejected ({}-{}@{})", event.dataset(), m.topic(),
        m.partition(), m.offset());
  }

  @Override
  public void deleted(DatasetDeleted event, String principal) {
    RecordMetadata m = publisher.publish(event, java.util.UUID.randomUUID().toString(),
        principal);
    LOG.info("{}: published dataset.deleted for {} ({}-{}@{})", event.dataset(), principal,
        m.topic(), m.partition(), m.offset());
  }
}
