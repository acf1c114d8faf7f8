package dev.daflow.service.common.messaging;

import dev.daflow.events.EventCodec;
import dev.daflow.events.EventFormatException;
import dev.daflow.platform.kafka.EventConsumer.Delivery;
import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.health.ConsumerReadiness;
import dev.daflow.service.common.metrics.MalformedEvents;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.service.common.startup.BackgroundSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one {@link EventHandler}'s consumer: set-up in the background ({@link
 * BackgroundSetup}: the steps given, retried with the back-off), then an {@link EventConsumer}
 * with the handler's options, its Kafka client metrics bound, malformed records counted ({@code
 * daflow_events_malformed_total{topic}}, registered at zero when this is made), readiness ({@link
 * ConsumerReadiness}: DOWN with the set-up's problem until the consumer polls), and an orderly
 * {@link #close}: set-up stopped, consumer closed (what is done is committed), metrics unbound,
 * then the handler's {@link EventHandler#stopped}.
 */
public final class ManagedConsumer implements ConsumerReadiness, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedConsumer.class);

  /**
   * What a managed consumer uses beside its handler.
   *
   * @param settings the broker
   * @param codec decodes the records
   * @param registry where its metrics go
   * @param backoff the pauses between set-up tries
   * @param kafka makes the Kafka consumer from its properties ({@code KafkaConsumer::new}; a
   *     {@code MockConsumer} in unit tests)
   */
  public record Parts(KafkaSettings settings, EventCodec codec, MeterRegistry registry,
      Backoff backoff, Function<Properties, Consumer<String, byte[]>> kafka) {
    /** Parts over a real broker. */
    public Parts(KafkaSettings settings, EventCodec codec, MeterRegistry registry,
        Backoff backoff) {
      this(settings, codec, registry, backoff, KafkaConsumer::new);
    }
  }

  private final EventHandler handler;
  private final Parts parts;
  private final MalformedEvents malformed;
  private final BackgroundSetup setup;
  private volatile EventConsumer consumer;
  private volatile KafkaClientMetrics kafkaMetrics;
  private boolean closed;

  /**
   * @param handler the domain side
   * @param setup what must be done before consuming (topics, buckets...), in order
   */
  public ManagedConsumer(EventHandler handler, List<BackgroundSetup.Step> setup, Parts parts) {
    this.handler = handler;
    this.parts = parts;
    this.malformed = new MalformedEvents(parts.registry(), handler.options().topics());
    List<BackgroundSetup.Step> steps = new ArrayList<>(setup);
    steps.add(BackgroundSetup.Step.of("start consuming " + reads(), this::startConsumer));
    this.setup = new BackgroundSetup(handler.options().groupId(), parts.backoff(), steps);
  }

  /** Starts the set-up, then the consumer, in the background. */
  public ManagedConsumer start() {
    setup.start();
    return this;
  }

  private synchronized void startConsumer() {
    if (closed) {
      return;
    }
    EventConsumer.Options options = handler.options();
    EventConsumer c = new EventConsumer(props -> {
      handler.configure(props);
      return parts.kafka().apply(props);
    }, parts.settings(), options, parts.codec(), handler, new Callbacks());
    c.bind(kafka -> {
      KafkaClientMetrics m = new KafkaClientMetrics(kafka);
      m.bindTo(parts.registry());
      kafkaMetrics = m;
    });
    consumer = c.start();
    LOG.info("consuming {} (at most {} in flight)", reads(), options.maxInFlight());
  }

  /** The consumer, once the set-up is done. */
  @Override
  public EventConsumer consumer() {
    return consumer;
  }

  /** {@code <topics> as <group>}. */
  @Override
  public String reads() {
    EventConsumer.Options o = handler.options();
    return String.join(", ", o.topics()) + " as " + o.groupId();
  }

  /** What the set-up still misses (its last failure), or {@code null}. */
  @Override
  public String setupProblem() {
    return setup.problem();
  }

  /** Stops the set-up, the consumer and its metrics, then the handler's own work. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    setup.close();
    EventConsumer c = consumer;
    if (c != null) {
      c.close(); // commits what is done; work in flight is delivered again after a restart
    }
    KafkaClientMetrics m = kafkaMetrics;
    if (m != null) {
      m.close();
    }
    handler.stopped();
  }

  /** The handler's callbacks, malformed records counted first. */
  private final class Callbacks implements EventConsumer.Listener {
    @Override
    public void onMalformed(ConsumerRecord<String, byte[]> record, EventFormatException e) {
      malformed.count(record.topic());
      handler.onMalformed(record, e);
    }

    @Override
    public void onDuplicate(Delivery delivery) {
      handler.onDuplicate(delivery);
    }

    @Override
    public void onFailed(Delivery delivery, Throwable error) {
      handler.onFailed(delivery, error);
    }

    @Override
    public void onHandled(Delivery delivery) {
      handler.onHandled(delivery);
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
      handler.onRevoked(partitions);
    }
  }
}
