package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.events.EventFormatException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventCodecMalformedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventCodec codec = EventCodec.forService("trainer-service");

  /** A valid training.started record, as received. */
  private ConsumerRecord<String, byte[]> started() {
    return Transport.deliver(codec.encode(Samples.of(EventType.TRAINING_STARTED), "id-9"));
  }

  private EventFormatException failure(ConsumerRecord<String, byte[]> r) {
    EventFormatException e = catchThrowableOfType(EventFormatException.class,
        () -> codec.decode(r));
    assertThat(e).as("decoding should fail").isNotNull();
    return e;
  }

  private static ConsumerRecord<String, byte[]> withHeaders(ConsumerRecord<String, byte[]> r,
      Consumer<Headers> edit) {
    Headers h = Transport.copy(r.headers());
    edit.accept(h);
    return Transport.record(r.topic(), r.key(), r.value(), h);
  }

  private static ConsumerRecord<String, byte[]> withHeader(ConsumerRecord<String, byte[]> r,
      String name, String value) {
    return withHeaders(r, h -> h.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8)));
  }

  private static ConsumerRecord<String, byte[]> withValue(ConsumerRecord<String, byte[]> r,
      String value) {
    return Transport.record(r.topic(), r.key(),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), r.headers());
  }

  private static ConsumerRecord<String, byte[]> withJson(ConsumerRecord<String, byte[]> r,
      Consumer<ObjectNode> edit) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(r.value());
    edit.accept(json);
    return withValue(r, JSON.writeValueAsString(json));
  }

  @Test
  void aRecordWithoutCloudEventsHeadersNamesTheMissingOnes() {
    ConsumerRecord<String, byte[]> r = withHeaders(started(), h -> {
      for (String name : EventCodec.REQUIRED_HEADERS) {
        h.remove(name);
      }
    });
    EventFormatException e = failure(r);
    assertThat(e.problem()).isEqualTo(Problem.MISSING_HEADER);
    assertThat(e.getMessage()).contains("daflow.training-2@17", "not a CloudEvent",
        "missing headers ce_specversion, ce_id, ce_source, ce_type, ce_time, content-type");
    assertThat(e.eventId()).isNull();
  }

  @Test
  void eachRequiredHeaderIsNamedWhenMissing() {
    for (String name : EventCodec.REQUIRED_HEADERS) {
      EventFormatException e = failure(withHeaders(started(), h -> h.remove(name)));
      assertThat(e.problem()).as(name).isEqualTo(Problem.MISSING_HEADER);
      assertThat(e.getMessage()).as(name).endsWith("missing header " + name);
    }
  }

  @Test
  void anotherSpecVersionIsRefused() {
    for (String version : List.of("0.3", "2.0")) {
      EventFormatException e = failure(withHeader(started(), "ce_specversion", version));
      assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_SPEC_VERSION);
      assertThat(e.getMessage()).contains("ce_specversion '" + version + "' is not supported");
    }
  }

  @Test
  void anUnknownTypeIsNamedWithTheKnownOnes() {
    EventFormatException e = failure(withHeader(started(), "ce_type", "dev.daflow.job.exploded"));
    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
    assertThat(e.ceType()).isEqualTo("dev.daflow.job.exploded");
    assertThat(e.getMessage()).contains("unknown event type 'dev.daflow.job.exploded'",
        "dev.daflow.training.started", "dev.daflow.model.promoted");
  }

  @Test
  void structuredModeAndOtherContentTypesAreRefused() {
    EventFormatException e = failure(withHeader(started(), "content-type",
        "application/cloudevents+json"));
    assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_CONTENT_TYPE);
    assertThat(e.getMessage()).contains("structured mode", "binary mode");

    e = failure(withHeader(started(), "content-type", "text/plain"));
    assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_CONTENT_TYPE);
    assertThat(e.getMessage()).contains("content-type 'text/plain' is not application/json");
  }

  @Test
  void jsonWithACharsetParameterIsAccepted() throws Exception {
    ConsumerRecord<String, byte[]> r = withHeader(started(), "content-type",
        "application/json; charset=utf-8");
    assertThat(codec.decode(r).event()).isEqualTo(Samples.of(EventType.TRAINING_STARTED));
  }

  @Test
  void anInvalidTimeIsAnInvalidAttribute() {
    EventFormatException e = failure(withHeader(started(), "ce_time", "yesterday"));
    assertThat(e.problem()).isEqualTo(Problem.INVALID_ATTRIBUTE);
    assertThat(e.getMessage()).contains("invalid CloudEvents headers", "time", "yesterday");
  }

  @Test
  void anEmptyValueIsMissingData() {
    for (String value : new String[] {null, ""}) {
      EventFormatException e = failure(withValue(started(), value));
      assertThat(e.problem()).isEqualTo(Problem.MISSING_DATA);
      assertThat(e.getMessage()).contains("no value", "training.started");
    }
  }

  @Test
  void malformedJsonCarriesJacksonsMessageAndPosition() {
    EventFormatException e = failure(withValue(started(), "{\"jobId\": \"job-7f3a\", "));
    assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON);
    assertThat(e.getMessage()).contains("training.started payload: malformed JSON",
        "Unexpected end-of-input", "line 1, column");

    e = failure(withValue(started(), "{\"jobId\": \"a\", \"jobId\": \"b\"}"));
    assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON);
    assertThat(e.getMessage()).contains("Duplicate field 'jobId'");
  }

  @Test
  void trailingGarbageIsMalformed() {
    String json = new String(started().value(), StandardCharsets.UTF_8) + " x";
    EventFormatException e = failure(withValue(started(), json));
    assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON);
  }

  @Test
  void aJsonArrayIsNotAnEvent() {
    EventFormatException e = failure(withValue(started(), "[1, 2]"));
    assertThat(e.problem()).isEqualTo(Problem.INVALID_PAYLOAD);
    assertThat(e.getMessage()).contains("expected a JSON object, got array");
  }

  @Test
  void missingAndNullFieldsAreAllNamed() throws Exception {
    EventFormatException e = failure(withJson(started(), j -> {
      j.remove("worker");
      j.putNull("network");
    }));
    assertThat(e.problem()).isEqualTo(Problem.INVALID_PAYLOAD);
    assertThat(e.getMessage()).contains("field 'network' is null", "field 'worker' is missing");
  }

  @Test
  void aMissingPrimitiveIsNotReadAsZero() throws Exception {
    EventFormatException e = failure(withJson(started(), j -> j.remove("totalEpochs")));
    assertThat(e.problem()).isEqualTo(Problem.INVALID_PAYLOAD);
    assertThat(e.getMessage()).contains("field 'totalEpochs' is missing");
  }

  @Test
  void wrongJsonTypesAreNamedByField() throws Exception {
    record Case(Consumer<ObjectNode> edit, String field, String jackson) {}
    List<Case> cases = List.of(
        new Case(j -> j.put("totalEpochs", "ten"), "totalEpochs", "String value (\"ten\")"),
        new Case(j -> j.put("totalEpochs", "10"), "totalEpochs", "String value (\"10\")"),
        new Case(j -> j.put("totalEpochs", 10.5), "totalEpochs", "(10.5)"),
        new Case(j -> j.put("jobId", 12), "jobId", "Integer value (12)"),
        new Case(j -> j.putObject("method"), "method", "from Object value"));
    for (Case c : cases) {
      EventFormatException e = failure(withJson(started(), c.edit()));
      assertThat(e.problem()).as(c.field()).isEqualTo(Problem.INVALID_PAYLOAD);
      assertThat(e.getMessage()).as(c.field())
          .contains("field '" + c.field() + "': Cannot ", c.jackson())
          .doesNotContain("CoercionConfig");
    }
  }

  @Test
  void problemsInsideNestedValuesHaveTheirPath() throws Exception {
    DaflowEvent ingested = Samples.of(EventType.DATASET_INGESTED);
    ConsumerRecord<String, byte[]> r = Transport.deliver(codec.encode(ingested));
    EventFormatException e = failure(withJson(r, j -> ((ObjectNode) j.get("shape"))
        .remove("height")));
    assertThat(e.getMessage()).contains("field 'shape.height' is missing");

    e = failure(withJson(r, j -> ((ObjectNode) j.get("splits")).putNull("test")));
    assertThat(e.getMessage()).contains("field 'splits.test' is null");

    DaflowEvent evaluated = Samples.of(EventType.MODEL_EVALUATED);
    r = Transport.deliver(codec.encode(evaluated));
    e = failure(withJson(r, j -> ((ArrayNode) j.at("/target/confusion/1")).set(2,
        j.textNode("x"))));
    assertThat(e.problem()).isEqualTo(Problem.INVALID_PAYLOAD);
    assertThat(e.getMessage()).endsWith("field 'target.confusion[1][2]': Cannot coerce String "
        + "value (\"x\") to `java.lang.Integer` value");
  }

  @Test
  void unknownFieldsAreIgnoredSoProducersCanAddFields() throws Exception {
    ConsumerRecord<String, byte[]> r = withJson(started(), j -> j.put("gpu", "h100"));
    assertThat(codec.decode(r).event()).isEqualTo(Samples.of(EventType.TRAINING_STARTED));
  }

  @Test
  void theKeyMustBeTheAggregateId() {
    ConsumerRecord<String, byte[]> r = started();
    EventFormatException e = failure(Transport.record(r.topic(), "job-other", r.value(),
        r.headers()));
    assertThat(e.problem()).isEqualTo(Problem.KEY_MISMATCH);
    assertThat(e.getMessage()).contains("record key 'job-other' is not the aggregate id",
        "('job-7f3a')");
    assertThat(e.key()).isEqualTo("job-other");

    e = failure(Transport.record(r.topic(), null, r.value(), r.headers()));
    assertThat(e.problem()).isEqualTo(Problem.KEY_MISMATCH);
    assertThat(e.getMessage()).contains("the record has no key");
  }

  @Test
  void anExpectedTypeRefusesOthers() {
    EventFormatException e = catchThrowableOfType(EventFormatException.class,
        () -> codec.decode(started(), TrainingRequested.class));
    assertThat(e.problem()).isEqualTo(Problem.UNEXPECTED_TYPE);
    assertThat(e.getMessage()).contains("expected dev.daflow.training.requested, got "
        + "dev.daflow.training.started");
    assertThat(e.eventId()).isEqualTo("id-9");
  }

  @Test
  void aConsumerRejectsABadRecordAndKeepsConsuming() throws Exception {
    ConsumerRecord<String, byte[]> good = Transport.deliver(codec.encode(
        Samples.requested().build()));
    ConsumerRecord<String, byte[]> bad = withValue(good, "{\"jobId\": \"job-7f3a\"");
    List<DaflowEvent> outcomes = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : List.of(good, bad, good)) {
      try {
        outcomes.add(codec.decode(r, TrainingRequested.class).event());
      } catch (EventFormatException e) {
        outcomes.add(new TrainingRejected(e.key(), "unreadable request: " + e.getMessage(),
            List.of()));
      }
    }
    assertThat(outcomes).extracting(DaflowEvent::type).containsExactly(
        EventType.TRAINING_REQUESTED, EventType.TRAINING_REJECTED, EventType.TRAINING_REQUESTED);
    assertThat(((TrainingRejected) outcomes.get(1)).reason()).contains("malformed JSON");
  }

  @Test
  void anIncompleteEventCannotBePublished() {
    TrainingStarted s = new TrainingStarted("job-1", "m", "dann", "mnist", "usps", null, 10, 0,
        null);
    assertThatThrownBy(() -> codec.encode(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot publish training.started: field 'network' is null; field 'worker' "
            + "is null");
    DatasetIngested d = new DatasetIngested("usps", "catalog", Samples.ordered("test", 1),
        new DatasetIngested.ImageShape(1, 16, 16), List.of("0"), null, Samples.sha('a'));
    assertThatThrownBy(() -> codec.encode(d)).hasMessageContaining("field 'manifestKey' is null");
    assertThatThrownBy(() -> codec.encode(Samples.of(EventType.TRAINING_CANCELLED), " "))
        .hasMessageContaining("blank event id");
  }

  @Test
  void anEmptyHeadersRecordIsStillDescribed() {
    EventFormatException e = failure(Transport.record(Topics.MODELS, "m", new byte[] {1},
        new RecordHeaders()));
    assertThat(e.getMessage()).startsWith("cannot read event daflow.models-2@17 (key 'm', ce_id "
        + "none, ce_type none): not a CloudEvent");
  }
}
