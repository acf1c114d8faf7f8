package dev.daflow.platform.kafka;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.ProcessedEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes DAFlow events at least once, on a thread of its own, in the style of Debezium's outbox
 * consumers: the listener (this loop) is split from the domain logic (the {@link Handler}).
 *
 * <p>Each record is decoded with {@link EventCodec}; one that is not a valid DAFlow event goes to
 * {@link Listener#onMalformed} and is skipped, so one bad record never stops the consumer. An
 * event whose id was already handled successfully is dropped ({@link ProcessedEvents}); one whose
 * handling failed is not remembered, so a redelivery of it is handled again. The handler returns
 * a stage that completes when the event is fully handled; only then is its offset committed (and
 * never past an older record still in flight). Long work (training) therefore survives a crash:
 * its request is delivered again to whichever consumer owns the partition next. While {@code
 * maxInFlight} events are in flight the consumer pauses its partitions but keeps polling, so it
 * stays in its group.
 */
public final class EventConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

  /** The domain logic. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Handles one event. Called on the polling thread: start long work elsewhere and return.
     *
     * @return completes (normally or not) when the event is done with and may be committed
     * @throws Exception counted as a failed event ({@link Listener#onFailed}), which is skipped
     */
    CompletionStage<?> handle(Delivery delivery) throws Exception;

    /** A handler that does all its work on the polling thread. */
    static Handler sync(SyncHandler h) {
      return d -> {
        h.handle(d);
        return CompletableFuture.completedFuture(null);
      };
    }
  }

  /** A handler whose work is done when it returns. */
  @FunctionalInterface
  public interface SyncHandler {
    void handle(Delivery delivery) throws Exception;
  }

  /**
   * One consumed event.
   *
   * @param envelope the decoded event
   * @param partition where it came from
   * @param offset its offset there
   */
  public record Delivery(EventEnvelope<DaflowEvent> envelope, TopicPartition partition,
      long offset) {
    public DaflowEvent event() {
      return envelope.event();
    }
  }

  /** What happens to records beside the happy path: for logs, metrics and refusal events. */
  public interface Listener {
    /** A record that is not a valid DAFlow event; it is skipped. */
    default void onMalformed(ConsumerRecord<String, byte[]> record, EventFormatException e) {}

    /** An event already handled (same event id); it is skipped. */
    default void onDuplicate(Delivery delivery) {}

    /** The handler threw or its stage failed; the event is skipped. */
    default void onFailed(Delivery delivery, Throwable error) {}

    /** The handler finished with an event. */
    default void onHandled(Delivery delivery) {}

    /**
     * This consumer no longer owns these partitions (rebalance, or lost): work still in flight for
     * them will be redelivered to their new owner, so it may be stopped.
     */
    default void onRevoked(Collection<TopicPartition> partitions) {}
  }

  /**
   * @param groupId the consumer group: replicas of a service share one
   * @param topics topics to read (created at start-up)
   * @param subscription when not null, the consumer subscribes to every topic whose name matches
   *     it instead of to {@code topics} (which it should match): topics made later are read too,
   *     once the consumer's metadata is refreshed ({@code metadata.max.age.ms})
   * @param maxInFlight events in flight before the consumer pauses
   * @param maxPollRecords records per poll (1 for long jobs, so none waits behind another)
   * @param pollTimeout how long one poll waits for records
   */
  public record Options(String groupId, List<String> topics, java.util.regex.Pattern subscription,
      int maxInFlight, int maxPollRecords, Duration pollTimeout) {

    /** Options that subscribe to {@code topics}. */
    public Options(String groupId, List<String> topics, int maxInFlight, int maxPollRecords,
        Duration pollTimeout) {
      this(groupId, topics, null, maxInFlight, maxPollRecords, pollTimeout);
    }

    public Options {
      Objects.requireNonNull(groupId, "groupId");
      topics = List.copyOf(topics);
      if (maxInFlight < 1 || maxPollRecords < 1) {
        throw new IllegalArgumentException("maxInFlight and maxPollRecords must be >= 1");
      }
    }

    /** For handlers that finish each event quickly. */
    public static Options quick(String groupId, List<String> topics) {
      return new Options(groupId, topics, 100, 50, Duration.ofMillis(500));
    }
  }

  private final Consumer<String, byte[]> consumer;
  private final Options options;
  private final EventCodec codec;
  private final Handler handler;
  private final Listener listener;
  private final ProcessedEvents processed = new ProcessedEvents(10_000);
  private final OffsetTracker offsets = new OffsetTracker();
  private final Thread thread;
  private volatile boolean running;
  private volatile boolean started;
  private volatile Instant lastPoll = Instant.EPOCH;

  /** A consumer on a real broker. */
  public EventConsumer(KafkaSettings settings, Options options, EventCodec codec, Handler handler,
      Listener listener) {
    this(props -> new KafkaConsumer<>(props), settings, options, codec, handler, listener);
  }

  /** Over any consumer factory (a {@code MockConsumer} in unit tests). */
  public EventConsumer(Function<java.util.Properties, Consumer<String, byte[]>> factory,
      KafkaSettings settings, Options options, EventCodec codec, Handler handler,
      Listener listener) {
    java.util.Properties props = settings.consumer(options.groupId());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(options.maxPollRecords()));
    this.consumer = factory.apply(props);
    this.options = options;
    this.codec = codec;
    this.handler = handler;
    this.listener = listener;
    this.thread = new Thread(this::loop, "daflow-consumer-" + options.groupId());
    this.thread.setDaemon(true);
  }

  /**
   * Hands the underlying Kafka consumer to {@code binder} before {@link #start}, e.g. Micrometer's
   * {@code KafkaClientMetrics} (consumer lag, fetch rates). Do not call the consumer from it.
   */
  public EventConsumer bind(java.util.function.Consumer<Consumer<String, byte[]>> binder) {
    binder.accept(consumer);
    return this;
  }

  /** Subscribes and starts polling on the consumer's own thread. */
  public EventConsumer start() {
    running = true;
    started = true;
    thread.start();
    return this;
  }

  /** Whether the polling thread is alive. */
  public boolean isRunning() {
    return running && thread.isAlive();
  }

  /** When the last poll returned: a consumer that stopped polling is not healthy. */
  public Instant lastPoll() {
    return lastPoll;
  }

  /** Events handed to the handler and not yet done. */
  public int inFlight() {
    return offsets.inFlight();
  }

  private void loop() {
    ConsumerRebalanceListener rebalances = new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        commit();
        offsets.forget(partitions);
        listener.onRevoked(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
        listener.onRevoked(partitions);
      }
    };
    if (options.subscription() != null) {
      consumer.subscribe(options.subscription(), rebalances);
    } else {
      consumer.subscribe(options.topics(), rebalances);
    }
    try {
      while (running) {
        // Hold back new records while enough are in flight; keep polling to stay in the group.
        if (offsets.inFlight() >= options.maxInFlight()) {
          consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
          consumer.resume(consumer.paused());
        }
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(options.pollTimeout())) {
            dispatch(record);
          }
          lastPoll = Instant.now();
          commit();
        } catch (WakeupException e) {
          break;
        } catch (RuntimeException e) {
          LOG.warn("consumer {}: poll failed, retrying: {}", options.groupId(), e.toString());
          sleep(Duration.ofSeconds(1));
        }
      }
    } finally {
      commit();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    offsets.started(tp, record.offset());
    EventEnvelope<DaflowEvent> envelope;
    try {
      envelope = codec.decode(record);
    } catch (EventFormatException e) {
      LOG.warn("skipping malformed record: {}", e.getMessage());
      listener.onMalformed(record, e);
      offsets.done(tp, record.offset());
      return;
    }
    Delivery delivery = new Delivery(envelope, tp, record.offset());
    if (processed.isProcessed(envelope.id())) {
      listener.onDuplicate(delivery);
      offsets.done(tp, record.offset());
      return;
    }
    CompletionStage<?> stage;
    try {
      stage = handler.handle(delivery);
    } catch (Exception e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((result, error) -> {
      // A completion for a partition handed over meanwhile is not ours to record: the new
      // owner handles the event again.
      if (!offsets.done(tp, record.offset())) {
        return;
      }
      if (error != null) {
        // Not marked processed (ProcessedEvents' contract): a redelivery runs it again.
        LOG.warn("handling {} {} failed: {}", envelope.type().ceType(), envelope.key(),
            error.toString());
        listener.onFailed(delivery, error);
      } else {
        processed.markProcessed(envelope.id());
        listener.onHandled(delivery);
      }
    });
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> commit = offsets.takeCommittable();
    if (commit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commit);
    } catch (CommitFailedException | WakeupException e) {
      LOG.warn("consumer {}: commit failed ({}); those records will be read again",
          options.groupId(), e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops polling, commits what is done and leaves the group. */
  @Override
  public void close() {
    if (!started) {
      consumer.close(Duration.ofSeconds(5)); // never started
      return;
    }
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
