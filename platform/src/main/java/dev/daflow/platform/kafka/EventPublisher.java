package dev.daflow.platform.kafka;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventType;
import dev.daflow.events.Topics;
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
 *
 * <p>A client that authenticates as a SASL user {@code U} publishes {@code training.requested}
 * on its own requests topic, {@code daflow.training.requests.U} ({@link
 * Topics#trainingRequestsFor}): the broker's ACLs let only {@code U} write there, which is how the
 * trainer knows who sent a request ({@code Principals.ofRequest}). Without SASL it goes on the
 * plain {@link Topics#TRAINING_REQUESTS}.
 */
public final class EventPublisher implements AutoCloseable {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final String requestsTopic;

  /**
   * A publisher on a real broker.
   *
   * @throws IllegalArgumentException if the SASL user cannot name a requests topic
   */
  public EventPublisher(KafkaSettings settings, EventCodec codec) {
    this(requestsTopic(settings), settings, codec); // the topic checked before a producer exists
  }

  private EventPublisher(String requestsTopic, KafkaSettings settings, EventCodec codec) {
    this(new KafkaProducer<>(settings.producer()), codec, requestsTopic);
  }

  /** Over any producer (a {@code MockProducer} in unit tests), requests on the plain topic. */
  public EventPublisher(Producer<String, byte[]> producer, EventCodec codec) {
    this(producer, codec, Topics.TRAINING_REQUESTS);
  }

  /**
   * Over any producer, with training requests published on {@code requestsTopic}.
   *
   * @param requestsTopic where {@code training.requested} goes ({@link
   *     Topics#trainingRequestsFor})
   */
  public EventPublisher(Producer<String, byte[]> producer, EventCodec codec,
      String requestsTopic) {
    this.producer = producer;
    this.codec = codec;
    this.requestsTopic = requestsTopic;
  }

  /** Where a client with these settings publishes its training requests. */
  public static String requestsTopic(KafkaSettings settings) {
    return Topics.trainingRequestsFor(settings.security().usesSasl()
        ? settings.security().username() : null);
  }

  /** Where this publisher puts {@code training.requested}. */
  public String requestsTopic() {
    return requestsTopic;
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

  private RecordMetadata send(ProducerRecord<String, byte[]> encoded, DaflowEvent event) {
    ProducerRecord<String, byte[]> record = encoded;
    if (event.type() == EventType.TRAINING_REQUESTED && !requestsTopic.equals(encoded.topic())) {
      record = new ProducerRecord<>(requestsTopic, null, encoded.key(), encoded.value(),
          encoded.headers());
    }
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
