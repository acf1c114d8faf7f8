package dev.daflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EventCodec;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.kafka.KafkaSecurity;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
  private static final TrainingRequested REQUEST = new TrainingRequested("job-1", null, "dann",
      "mnist", "usps", null, 1, 64, null, null, "none", 1, 0);

  @Test
  void aSaslClientPublishesRequestsOnItsOwnTopic() {
    KafkaSecurity sasl = new KafkaSecurity("SASL_SSL", KafkaSecurity.DEFAULT_MECHANISM,
        "daflow-client", "secret", null, null);
    String topic = EventPublisher.requestsTopic(new KafkaSettings("127.0.0.1:9092", "t", sasl));
    assertThat(topic).isEqualTo("daflow.training.requests.daflow-client");
    assertThat(EventPublisher.requestsTopic(new KafkaSettings("127.0.0.1:9092", "t")))
        .isEqualTo(Topics.TRAINING_REQUESTS);

    MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(),
        new ByteArraySerializer());
    try (EventPublisher publisher = new EventPublisher(mock, EventCodec.forService("t"), topic)) {
      publisher.publish(REQUEST, "id-1", "jwt:alice");
      publisher.publish(new DatasetRejected("d", "upload", "no")); // other events stay put
    }
    ProducerRecord<String, byte[]> request = mock.history().get(0);
    assertThat(request.topic()).isEqualTo("daflow.training.requests.daflow-client");
    assertThat(request.key()).isEqualTo("job-1");
    assertThat(new String(request.headers().lastHeader("ce_principal").value(),
        StandardCharsets.UTF_8)).isEqualTo("jwt:alice");
    assertThat(new String(request.headers().lastHeader("ce_id").value(),
        StandardCharsets.UTF_8)).isEqualTo("id-1");
    assertThat(mock.history().get(1).topic()).isEqualTo(Topics.DATASETS);
  }
}
