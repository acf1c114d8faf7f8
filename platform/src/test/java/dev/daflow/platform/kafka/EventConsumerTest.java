package dev.daflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The loop over Kafka's {@link MockConsumer}; the real broker is exercised end to end. */
class EventConsumerTest {
  private static final TopicPartition TP = new TopicPartition(Topics.DATASETS, 0);
  private final EventCodec codec = EventCodec.forService("test");

  @Test
  void handlesGoodRecordsSkipsMalformedAndDuplicateOnesAndCommitsOnlyWhatIsDone()
      throws Exception {
    MockConsumer<String, byte[]> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    List<String> handled = new CopyOnWriteArrayList<>();
    Recorder listener = new Recorder();
    CompletableFuture<Void> slow = new CompletableFuture<>();
    EventConsumer.Handler handler = d -> {
      String name = ((DatasetRejected) d.event()).dataset();
      handled.add(name);
      return name.equals("slow") ? slow : CompletableFuture.completedFuture(null);
    };
    try (EventConsumer consumer = consumer(mock, handler, listener)) {
      mock.schedulePollTask(() -> {
        assign(mock);
        mock.addRecord(record(0, codec.encode(rejected("a"), "id-a")));
        mock.addRecord(new ConsumerRecord<>(Topics.DATASETS, 0, 1, "k", "{oops".getBytes()));
        mock.addRecord(record(2, codec.encode(rejected("slow"), "id-slow")));
        mock.addRecord(record(3, codec.encode(rejected("b"), "id-b")));
        mock.addRecord(record(4, codec.encode(rejected("a"), "id-a")));
      });
      consumer.start();

      // The duplicate (offset 4) comes after "b" is handed over: wait for it too.
      await(() -> handled.size() == 3 && listener.duplicates.size() == 1);
      assertThat(handled).containsExactly("a", "slow", "b");
      assertThat(listener.malformed).containsExactly("MISSING_HEADER");
      assertThat(listener.duplicates).containsExactly("id-a");
      // "slow" (offset 2) is in flight: offsets 0 and 1 only are committed.
      await(() -> Long.valueOf(2).equals(committed(mock)));
      assertThat(consumer.inFlight()).isEqualTo(1);

      slow.complete(null);
      await(() -> Long.valueOf(5).equals(committed(mock)));
    }
  }

  @Test
  void aFailedEventIsNotMarkedProcessedSoItsRedeliveryIsHandledAgain() throws Exception {
    MockConsumer<String, byte[]> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    List<String> handled = new CopyOnWriteArrayList<>();
    Recorder listener = new Recorder();
    EventConsumer.Handler handler = d -> {
      handled.add(d.envelope().id());
      // The first delivery fails (the store was down...); the redelivery works.
      return handled.size() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("down"))
          : CompletableFuture.completedFuture(null);
    };
    try (EventConsumer consumer = consumer(mock, handler, listener)) {
      mock.schedulePollTask(() -> {
        assign(mock);
        mock.addRecord(record(0, codec.encode(rejected("x"), "id-x")));
      });
      consumer.start();
      await(() -> listener.failed.size() == 1);
      // The same event again (as after a rebalance): handled, not dropped as a duplicate.
      mock.schedulePollTask(() -> mock.addRecord(record(1, codec.encode(rejected("x"), "id-x"))));
      await(() -> handled.size() == 2);
      // Once handled, a third copy is a duplicate.
      mock.schedulePollTask(() -> mock.addRecord(record(2, codec.encode(rejected("x"), "id-x"))));
      await(() -> listener.duplicates.size() == 1);
      assertThat(handled).containsExactly("id-x", "id-x");
      assertThat(listener.failed).containsExactly("id-x");
      await(() -> Long.valueOf(3).equals(committed(mock)));
    }
  }

  @Test
  void aPatternSubscribesToEveryMatchingTopic() throws Exception {
    MockConsumer<String, byte[]> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    for (String topic : List.of(Topics.TRAINING_REQUESTS, Topics.trainingRequestsOf("alice"),
        Topics.TRAINING)) {
      mock.updatePartitions(topic, List.of(new org.apache.kafka.common.PartitionInfo(topic, 0,
          null, null, null)));
    }
    EventConsumer.Options options = new EventConsumer.Options("g",
        List.of(Topics.TRAINING_REQUESTS), Topics.TRAINING_REQUESTS_PATTERN, 1, 1,
        java.time.Duration.ofMillis(50));
    try (EventConsumer consumer = new EventConsumer(props -> mock,
        new KafkaSettings("unused:9092", "test"), options, codec,
        d -> CompletableFuture.completedFuture(null), new Recorder())) {
      consumer.start();
      await(() -> !mock.subscription().isEmpty());
      assertThat(mock.subscription()).containsExactlyInAnyOrder(Topics.TRAINING_REQUESTS,
          "daflow.training.requests.alice");
    }
  }

  /** Records what the consumer tells its listener: problems of malformed records, event ids. */
  private static final class Recorder implements EventConsumer.Listener {
    final List<String> malformed = new CopyOnWriteArrayList<>();
    final List<String> duplicates = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();

    @Override
    public void onMalformed(ConsumerRecord<String, byte[]> r, EventFormatException e) {
      malformed.add(e.problem().name());
    }

    @Override
    public void onDuplicate(EventConsumer.Delivery d) {
      duplicates.add(d.envelope().id());
    }

    @Override
    public void onFailed(EventConsumer.Delivery d, Throwable error) {
      failed.add(d.envelope().id());
    }
  }

  /** A consumer of {@link Topics#DATASETS} as group {@code g} over {@code mock}. */
  private EventConsumer consumer(MockConsumer<String, byte[]> mock, EventConsumer.Handler handler,
      EventConsumer.Listener listener) {
    return new EventConsumer(props -> mock, new KafkaSettings("unused:9092", "test"),
        EventConsumer.Options.quick("g", List.of(Topics.DATASETS)), codec, handler, listener);
  }

  /** Assigns {@link #TP} to the mock, read from offset 0. */
  private static void assign(MockConsumer<String, byte[]> mock) {
    mock.rebalance(List.of(TP));
    mock.updateBeginningOffsets(Map.of(TP, 0L));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }

  private static Long committed(MockConsumer<String, byte[]> mock) {
    var c = mock.committed(java.util.Set.of(TP)).get(TP);
    return c == null ? null : c.offset();
  }

  private static DatasetRejected rejected(String name) {
    return new DatasetRejected(name, "test", "because");
  }

  private static ConsumerRecord<String, byte[]> record(long offset,
      ProducerRecord<String, byte[]> r) {
    ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(r.topic(), 0, offset, r.key(),
        r.value());
    r.headers().forEach(h -> c.headers().add(h));
    return c;
  }
}
