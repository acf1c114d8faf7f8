package dev.daflow.platform.kafka;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventCodec;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes DAFlow events as CloudEvents (binary mode) on their topic, keyed by their aggregate
 * id, and waits for the broker's acknowledgement: when {@link #publish} returns, the event is
 * stored. Thread-safe.
 */
public final class EventPublisher implements AutoCloseable {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Producer<String, byte[]> producer;
  private final EventCodec codec;

  public EventPublisher(KafkaSettings settings, EventCodec codec) {
    this(new KafkaProducer<>(settings.producer()), codec);
  }

  /** Over any producer (a {@code MockProducer} in unit tests). */
  public EventPublisher(Producer<String, byte[]> producer, EventCodec codec) {
    this.producer = producer;
    this.codec = codec;
  }

  /** Publishes with a fresh random event id. */
  public RecordMetadata publish(DaflowEvent event) {
    return send(codec.encode(event), event);
  }

  /**
   * Publishes with a given event id: re-publishing the same fact (after a restart) under the same
   * id lets consumers drop the copy.
   */
  public RecordMetadata publish(DaflowEvent event, String id) {
    return send(codec.encode(event, id), event);
  }

  /**
   * As {@link #publish(DaflowEvent, String)}, naming the authenticated user it is published for
   * ({@code ce_principal}; none when null).
   */
  public RecordMetadata publish(DaflowEvent event, String id, String principal) {
    return send(codec.encode(event, id, principal), event);
  }

  private RecordMetadata send(ProducerRecord<String, byte[]> record, DaflowEvent event) {
    try {
      return producer.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(event, record.topic(), "interrupted", e);
    } catch (ExecutionException e) {
      throw new PublishException(event, record.topic(), e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException(event, record.topic(),
          "no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /** The broker did not store an event. */
  public static final class PublishException extends RuntimeException {
    PublishException(DaflowEvent event, String topic, String why, Throwable cause) {
      super("could not publish " + event.getClass().getSimpleName() + " (key " + event.key()
          + ") to " + topic + ": " + why, cause);
    }
  }
}
