package dev.daflow.service.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.Topics;
import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.service.common.startup.BackgroundSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A handler's consumer over Kafka's {@link MockConsumer}: set-up retried while it fails, with the
 * problem in readiness meanwhile; then consuming, malformed records counted, orderly close.
 */
class ManagedConsumerTest {
  private static final TopicPartition TP = new TopicPartition(Topics.DATASETS, 0);
  private final EventCodec codec = EventCodec.forService("test");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MockConsumer<String, byte[]> mock =
      new MockConsumer<>(OffsetResetStrategy.EARLIEST);

  /** Records what the consumer hands it. */
  private static final class Recorder implements EventHandler {
    final List<String> handled = new CopyOnWriteArrayList<>();
    final List<String> malformed = new CopyOnWriteArrayList<>();
    final AtomicBoolean stopped = new AtomicBoolean();
    volatile Properties properties;

    @Override
    public EventConsumer.Options options() {
      return EventConsumer.Options.quick("test-group", List.of(Topics.DATASETS));
    }

    @Override
    public CompletionStage<?> handle(EventConsumer.Delivery delivery) {
      handled.add(((DatasetRejected) delivery.event()).dataset());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void configure(Properties props) {
      props.put("test.customised", "yes");
      properties = props;
    }

    @Override
    public void onMalformed(ConsumerRecord<String, byte[]> record, EventFormatException e) {
      malformed.add(record.key());
    }

    @Override
    public void stopped() {
      stopped.set(true);
    }
  }

  @Test
  void retriesTheSetUpWhileItFailsThenConsumes() throws Exception {
    Recorder handler = new Recorder();
    // A set-up step that fails twice (the store is down), then works; each try waits for a
    // permit, so the test sees the state between tries.
    Semaphore tries = new Semaphore(0);
    AtomicInteger attempts = new AtomicInteger();
    BackgroundSetup.Step flaky = BackgroundSetup.Step.of("create the buckets", () -> {
      tries.acquire();
      if (attempts.incrementAndGet() <= 2) {
        throw new IOException("store down (try " + attempts.get() + ")");
      }
    });
    ManagedConsumer managed = new ManagedConsumer(handler, List.of(flaky),
        new ManagedConsumer.Parts(new KafkaSettings("unused:9092", "test"), codec, registry,
            Backoff.fixed(Duration.ofMillis(1)), props -> mock));
    try (managed) {
      // Registered at zero before anything happens; readiness DOWN with a reason.
      assertThat(malformedCount()).isZero();
      assertThat(managed.reads()).isEqualTo(Topics.DATASETS + " as test-group");
      assertThat(managed.consuming()).isFalse();
      assertThat(managed.setupProblem()).isEqualTo("starting");
      managed.start();

      tries.release();
      await(() -> "cannot create the buckets: store down (try 1)".equals(
          managed.setupProblem()));
      assertThat(managed.consumer()).isNull();
      tries.release();
      await(() -> "cannot create the buckets: store down (try 2)".equals(
          managed.setupProblem()));
      assertThat(managed.consuming()).isFalse();

      mock.schedulePollTask(() -> {
        mock.rebalance(List.of(TP));
        mock.updateBeginningOffsets(Map.of(TP, 0L));
        mock.addRecord(record(0, codec.encode(new DatasetRejected("a", "test", "no"), "id-a")));
        mock.addRecord(new ConsumerRecord<>(Topics.DATASETS, 0, 1, "bad", "{oops".getBytes()));
      });
      tries.release();
      // The set-up counts as done once its last step (starting the consumer) has returned, a
      // moment after the consumer's first poll: wait for both.
      await(() -> managed.consuming() && managed.setupProblem() == null);
      assertThat(attempts).hasValue(3);
      assertThat(handler.properties).containsEntry("test.customised", "yes");

      await(() -> handler.handled.size() == 1 && handler.malformed.size() == 1);
      assertThat(handler.handled).containsExactly("a");
      assertThat(handler.malformed).containsExactly("bad");
      assertThat(malformedCount()).isEqualTo(1.0);
    }
    assertThat(handler.stopped).isTrue();
    assertThat(managed.consumer().isRunning()).isFalse();
  }

  @Test
  void closingDuringTheSetUpStopsItAndNeverConsumes() throws Exception {
    Recorder handler = new Recorder();
    AtomicInteger attempts = new AtomicInteger();
    BackgroundSetup.Step down = BackgroundSetup.Step.of("create the topics", () -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("Kafka does not answer");
    });
    // Pauses of an hour: only the close ends the wait.
    ManagedConsumer managed = new ManagedConsumer(handler, List.of(down),
        new ManagedConsumer.Parts(new KafkaSettings("unused:9092", "test"), codec, registry,
            Backoff.fixed(Duration.ofHours(1)), props -> mock)).start();
    await(() -> attempts.get() == 1 && managed.setupProblem().contains("does not answer"));
    managed.close();
    assertThat(handler.stopped).isTrue();
    assertThat(managed.consumer()).isNull();
    assertThat(attempts).hasValue(1);
  }

  private double malformedCount() {
    return registry.get("daflow.events.malformed").tag("topic", Topics.DATASETS).counter()
        .count();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }

  private static ConsumerRecord<String, byte[]> record(long offset,
      ProducerRecord<String, byte[]> r) {
    ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(r.topic(), 0, offset, r.key(),
        r.value());
    r.headers().forEach(h -> c.headers().add(h));
    return c;
  }
}
