package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.EventType;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingRequested;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DAFlow events through a real broker process: the CloudEvents records, good and bad. */
class KafkaBrokerTest {
  private static final TopicPartition REQUESTS = new TopicPartition(Topics.TRAINING_REQUESTS, 0);

  @TempDir
  static Path dir;

  private static KafkaBroker broker;
  private static KafkaProducer<String, byte[]> producer;
  private final EventCodec codec = EventCodec.forService("local-stack-test");

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(dir.resolve("kafka"), dir.resolve("logs/kafka.log"));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(Topics.TRAINING_REQUESTS, 1, (short) 1)))
          .all().get();
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void trainingRequestedRoundTripsWithItsHeaders() throws Exception {
    TrainingRequested request = request("job-round-trip");
    ProducerRecord<String, byte[]> sent = codec.encode(request);
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      long from = consumer.endOffsets(List.of(REQUESTS)).get(REQUESTS);
      producer.send(sent).get();

      List<ConsumerRecord<String, byte[]>> records = poll(consumer, from, 1);

      ConsumerRecord<String, byte[]> received = records.get(0);
      EventEnvelope<TrainingRequested> envelope = codec.decode(received, TrainingRequested.class);
      assertThat(envelope.event()).isEqualTo(request);
      assertThat(envelope.type()).isEqualTo(EventType.of(TrainingRequested.class));
      assertThat(received.key()).isEqualTo("job-round-trip");
      assertThat(header(received, "ce_specversion")).isEqualTo("1.0");
      assertThat(header(received, "ce_id")).isEqualTo(envelope.id())
          .isEqualTo(header(sent, "ce_id"));
      assertThat(header(received, "ce_source")).isEqualTo("/daflow/local-stack-test");
      assertThat(header(received, "ce_type")).isEqualTo("dev.daflow.training.requested");
      assertThat(header(received, "ce_time")).isEqualTo(header(sent, "ce_time"));
      assertThat(header(received, "content-type")).isEqualTo("application/json");
    }
  }

  @Test
  void malformedRecordIsReportedAndTheNextOneIsRead() throws Exception {
    ProducerRecord<String, byte[]> template = codec.encode(request("job-bad"));
    ProducerRecord<String, byte[]> bad = new ProducerRecord<>(Topics.TRAINING_REQUESTS, null,
        template.key(), "{\"jobId\": \"job-bad\", ".getBytes(StandardCharsets.UTF_8),
        template.headers());
    TrainingRequested good = request("job-good");
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      long from = consumer.endOffsets(List.of(REQUESTS)).get(REQUESTS);
      producer.send(bad).get();
      producer.send(codec.encode(good)).get();

      List<ConsumerRecord<String, byte[]>> records = poll(consumer, from, 2);

      // The consumer loop of docs/events.md: report the bad record, go on with the next.
      List<DaflowEvent> decoded = new ArrayList<>();
      List<EventFormatException> rejected = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : records) {
        try {
          decoded.add(codec.decode(record).event());
        } catch (EventFormatException e) {
          rejected.add(e);
        }
      }
      assertThat(rejected).singleElement().satisfies(e -> {
        assertThat(e.problem()).isEqualTo(EventFormatException.Problem.MALFORMED_JSON);
        assertThat(e.key()).isEqualTo("job-bad");
        assertThat(e.getMessage()).contains(Topics.TRAINING_REQUESTS + "-0@" + from);
      });
      assertThat(decoded).containsExactly(good);
      assertThatThrownBy(() -> codec.decode(records.get(0)))
          .isInstanceOf(EventFormatException.class);
    }
  }

  private static TrainingRequested request(String jobId) {
    return new TrainingRequested(jobId, null, "dann", "mnist", "usps", null, 10, 128, 0.01, null,
        "none", 42L, 0);
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(REQUESTS));
    return consumer;
  }

  private static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer,
      long from, int count) {
    consumer.seek(REQUESTS, from);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (records.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    assertThat(records).as("records read from offset %d", from).hasSize(count);
    return records;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return value(record.headers().lastHeader(name));
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    return value(record.headers().lastHeader(name));
  }

  private static String value(Header header) {
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
