package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventCodecRoundTripTest {
  private static final Instant NOW = Instant.parse("2026-11-24T00:41:02.123456Z");
  private final EventCodec codec = new EventCodec(URI.create("/daflow/trainer-service"),
      Clock.fixed(NOW, ZoneOffset.UTC));

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyEventSurvivesTheKafkaClientsUnchanged(EventType type) throws Exception {
    DaflowEvent event = Samples.of(type);
    assertThat(event.type()).isEqualTo(type);

    ProducerRecord<String, byte[]> sent = codec.encode(event, "id-1");
    assertThat(sent.topic()).isEqualTo(type.topic());
    assertThat(sent.key()).isEqualTo(event.key()).isNotBlank();

    ConsumerRecord<String, byte[]> received = Transport.deliver(sent);
    Headers h = received.headers();
    assertThat(header(h, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(h, "ce_id")).isEqualTo("id-1");
    assertThat(header(h, "ce_source")).isEqualTo("/daflow/trainer-service");
    assertThat(header(h, "ce_type")).isEqualTo("dev.daflow." + type.shortName());
    assertThat(header(h, "ce_time")).isEqualTo("2026-11-24T00:41:02.123Z");
    assertThat(header(h, "content-type")).isEqualTo("application/json");
    assertThat(received.key()).isEqualTo(event.key());

    EventEnvelope<DaflowEvent> got = codec.decode(received);
    assertThat(got.event()).isEqualTo(event);
    assertThat(got.type()).isEqualTo(type);
    assertThat(got.id()).isEqualTo("id-1");
    assertThat(got.source()).isEqualTo(URI.create("/daflow/trainer-service"));
    assertThat(got.time()).isEqualTo(Instant.parse("2026-11-24T00:41:02.123Z"));
    assertThat(got.key()).isEqualTo(received.key());
    assertThat(got.principal()).as("no principal unless one is given").isNull();
    assertThat(header(h, "ce_principal")).isNull();
  }

  @Test
  void thePrincipalTravelsAsTheCePrincipalExtension() throws Exception {
    DaflowEvent event = Samples.of(EventType.MODEL_PROMOTED);
    ConsumerRecord<String, byte[]> received = Transport.deliver(
        codec.encode(event, "id-2", "alice"));
    assertThat(header(received.headers(), "ce_principal")).isEqualTo("alice");
    EventEnvelope<DaflowEvent> got = codec.decode(received);
    assertThat(got.principal()).isEqualTo("alice");
    assertThat(got.event()).isEqualTo(event);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.encode(event, "id-3", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank principal");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void theJsonHasExactlyTheRecordFieldsInOrder(EventType type) throws Exception {
    DaflowEvent event = Samples.of(type);
    JsonNode json = new ObjectMapper().readTree(codec.encode(event).value());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyElementsOf(Arrays.stream(
        event.getClass().getRecordComponents()).map(c -> c.getName()).toList());
  }

  @Test
  void nullableFieldsAreWrittenAsNullAndReadBack() throws Exception {
    TrainingRequested r = Samples.requested().learningRate(null).build();
    ProducerRecord<String, byte[]> sent = codec.encode(r);
    JsonNode json = new ObjectMapper().readTree(sent.value());
    assertThat(json.get("network").isNull()).isTrue();
    assertThat(json.get("learningRate").isNull()).isTrue();
    assertThat(codec.decode(Transport.deliver(sent)).event()).isEqualTo(r);
  }

  @Test
  void theTuningTravelsAsAnObjectAndRequestsWithoutItStillParse() throws Exception {
    TrainingRequested tuned = Samples.requested().tuning("adam", 5.0, null).build();
    ProducerRecord<String, byte[]> sent = codec.encode(tuned);
    JsonNode json = new ObjectMapper().readTree(sent.value());
    assertThat(json.get("tuning").get("solver").asText()).isEqualTo("adam");
    assertThat(json.get("tuning").get("clipNorm").asDouble()).isEqualTo(5.0);
    assertThat(json.get("tuning").get("lambdaMax").isNull()).isTrue();
    assertThat(codec.decode(Transport.deliver(sent)).event()).isEqualTo(tuned);
    TrainingRequested weighted = Samples.requested().classWeighting(true).build();
    ProducerRecord<String, byte[]> sentWeighted = codec.encode(weighted);
    assertThat(new ObjectMapper().readTree(sentWeighted.value()).get("tuning")
        .get("classWeighting").asBoolean()).isTrue();
    assertThat(codec.decode(Transport.deliver(sentWeighted)).event()).isEqualTo(weighted);

    // A request written before the field existed: no "tuning" at all, nor inside it.
    ProducerRecord<String, byte[]> before = codec.encode(Samples.requested().build());
    ObjectNode old = (ObjectNode) new ObjectMapper().readTree(before.value());
    old.remove("tuning");
    ConsumerRecord<String, byte[]> oldRecord = Transport.record(before.topic(), before.key(),
        new ObjectMapper().writeValueAsBytes(old), Transport.copy(before.headers()));
    TrainingRequested got = codec.decode(oldRecord, TrainingRequested.class).event();
    assertThat(got).isEqualTo(Samples.requested().build());
    assertThat(got.tuningOrDefault()).isEqualTo(dev.daflow.contract.Tuning.Request.NONE);

    ObjectNode partial = old.deepCopy();
    partial.putObject("tuning").put("clipNorm", 2.0);
    TrainingRequested withPartial = codec.decode(Transport.record(before.topic(), before.key(),
        new ObjectMapper().writeValueAsBytes(partial), Transport.copy(before.headers())),
        TrainingRequested.class).event();
    assertThat(withPartial.tuning()).isEqualTo(new dev.daflow.contract.Tuning.Request(null, 2.0, null));
  }

  @Test
  void notANumberTravelsAsTheStringNaN() throws Exception {
    ModelEvaluated e = (ModelEvaluated) Samples.of(EventType.MODEL_EVALUATED);
    ProducerRecord<String, byte[]> sent = codec.encode(e);
    assertThat(new String(sent.value(), StandardCharsets.UTF_8)).contains("\"1\":\"NaN\"");
    ModelEvaluated got = (ModelEvaluated) codec.decode(Transport.deliver(sent)).event();
    assertThat(got.target().perClassAccuracy().get("1")).isNaN();
    assertThat(got.target().confusionArray()).isDeepEqualTo(e.target().confusionArray());
  }

  @Test
  void eachEncodingGetsANewIdUnlessTheCallerGivesOne() {
    DaflowEvent e = Samples.of(EventType.EPOCH_BUNDLE_SAVED);
    assertThat(header(codec.encode(e).headers(), "ce_id"))
        .isNotEqualTo(header(codec.encode(e).headers(), "ce_id"));
    String stable = EventIds.of(EventType.EPOCH_BUNDLE_SAVED, Samples.JOB, 3);
    assertThat(header(codec.encode(e, stable).headers(), "ce_id"))
        .isEqualTo(header(codec.encode(e, stable).headers(), "ce_id"))
        .isEqualTo(EventIds.of(EventType.EPOCH_BUNDLE_SAVED, Samples.JOB, 3))
        .isNotEqualTo(EventIds.of(EventType.EPOCH_BUNDLE_SAVED, Samples.JOB, 4))
        .isNotEqualTo(EventIds.of(EventType.TRAINING_CANCELLED, Samples.JOB, 3));
  }

  @Test
  void theSdkDeserializerReadsOurRecords() throws Exception {
    DaflowEvent e = Samples.of(EventType.TRAINING_STARTED);
    ConsumerRecord<String, byte[]> r = Transport.deliver(codec.encode(e, "id-2"));
    try (CloudEventDeserializer d = new CloudEventDeserializer()) {
      d.configure(Map.of(), false);
      CloudEvent ce = d.deserialize(r.topic(), r.headers(), r.value());
      assertThat(ce.getType()).isEqualTo("dev.daflow.training.started");
      assertThat(codec.decode(r.key(), ce).event()).isEqualTo(e);
    }
  }

  @Test
  void weReadTheSdkSerializersBinaryRecords() throws Exception {
    DaflowEvent e = Samples.of(EventType.MODEL_PROMOTED);
    Headers headers = new RecordHeaders();
    byte[] value;
    try (CloudEventSerializer s = new CloudEventSerializer()) {
      s.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, "BINARY"), false);
      value = s.serialize(Topics.MODELS, headers, codec.toCloudEvent(e, "id-3"));
    }
    EventEnvelope<DaflowEvent> got = codec.decode(Transport.record(Topics.MODELS, e.key(), value,
        headers));
    assertThat(got.event()).isEqualTo(e);
    assertThat(got.id()).isEqualTo("id-3");
  }

  @Test
  void decodeWithAnExpectedTypeReturnsItTyped() throws Exception {
    TrainingRequested r = Samples.requested().build();
    EventEnvelope<TrainingRequested> got = codec.decode(Transport.deliver(codec.encode(r)),
        TrainingRequested.class);
    assertThat(got.event().epochs()).isEqualTo(10);
  }

  @Test
  void forServiceNamesTheSource() {
    assertThat(EventCodec.forService("data-service").source())
        .isEqualTo(URI.create("/daflow/data-service"));
  }

  static String header(Headers headers, String name) {
    return headers.lastHeader(name) == null ? null
        : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
