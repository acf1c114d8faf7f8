package dev.daflow.events;

import dev.daflow.events.EventFormatException.Origin;
import dev.daflow.events.EventFormatException.Problem;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns DAFlow events into Kafka records and back, as CloudEvents 1.0 in Kafka's binary content
 * mode: the attributes travel as headers ({@code ce_specversion}, {@code ce_id}, {@code
 * ce_source}, {@code ce_type}, {@code ce_time}, and {@code content-type: application/json}), the
 * value is the event's JSON, the key its aggregate id ({@link DaflowEvent#key()}). The headers are
 * written and parsed by the CloudEvents Java SDK, so the records are those of its {@code
 * CloudEventSerializer} in binary mode.
 *
 * <p>Records are {@code <String, byte[]>}: producers use {@code StringSerializer} and {@code
 * ByteArraySerializer}, consumers {@code StringDeserializer} and {@code ByteArrayDeserializer}
 * and call {@link #decode}, which reports a bad record as a checked {@link EventFormatException}
 * instead of failing inside {@code poll()}. Thread-safe.
 */
public final class EventCodec {

  /** The CloudEvents version DAFlow writes and accepts. */
  public static final String SPEC_VERSION = "1.0";

  /** The media type of every event value. */
  public static final String CONTENT_TYPE = "application/json";

  /**
   * The optional CloudEvents extension attribute naming the authenticated user an event was
   * published for ({@code ce_principal} in Kafka's binary mode); see {@link
   * EventEnvelope#principal()}.
   */
  public static final String PRINCIPAL_EXTENSION = "principal";

  /** The headers every DAFlow record carries. */
  public static final List<String> REQUIRED_HEADERS = List.of("ce_specversion", "ce_id",
      "ce_source", "ce_type", "ce_time", "content-type");

  private static final String KNOWN_TYPES = Arrays.stream(EventType.values())
      .map(EventType::ceType).collect(Collectors.joining(", "));

  private final URI source;
  private final Clock clock;

  /**
   * A codec for one producer.
   *
   * @param source the {@code ce_source} of the events it encodes, e.g. {@code
   *     /daflow/trainer-service}
   * @param clock gives {@code ce_time}
   */
  public EventCodec(URI source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** A codec whose events come from {@code /daflow/<service>}, timed by the system clock. */
  public static EventCodec forService(String service) {
    return new EventCodec(URI.create("/daflow/" + service), Clock.systemUTC());
  }

  /** The {@code ce_source} this codec writes. */
  public URI source() {
    return source;
  }

  /** The record for {@code event} with a new random id. */
  public ProducerRecord<String, byte[]> encode(DaflowEvent event) {
    return encode(event, UUID.randomUUID().toString());
  }

  /**
   * The record for {@code event}, on its type's topic, keyed by its aggregate id.
   *
   * @param id the {@code ce_id}; pass the same id when publishing the same event again (see
   *     {@link EventIds}) so that consumers can drop the duplicate
   * @throws IllegalArgumentException if a required field of the event is null or the id is blank
   */
  public ProducerRecord<String, byte[]> encode(DaflowEvent event, String id) {
    return encode(event, id, null);
  }

  /**
   * As {@link #encode(DaflowEvent, String)}, naming the authenticated user the event was
   * published for in the {@value #PRINCIPAL_EXTENSION} extension attribute ({@code
   * ce_principal}; none when {@code principal} is null).
   */
  public ProducerRecord<String, byte[]> encode(DaflowEvent event, String id, String principal) {
    CloudEvent ce = toCloudEvent(event, id, principal);
    return KafkaMessageFactory.createWriter(event.type().topic(), event.key()).writeBinary(ce);
  }

  /**
   * {@code event} as a CloudEvent with a JSON data payload, for transports other than a plain
   * Kafka record (e.g. the SDK's {@code CloudEventSerializer}).
   *
   * @throws IllegalArgumentException if a required field of the event is null or the id is blank
   */
  public CloudEvent toCloudEvent(DaflowEvent event, String id) {
    return toCloudEvent(event, id, null);
  }

  /**
   * As {@link #toCloudEvent(DaflowEvent, String)}, with the {@value #PRINCIPAL_EXTENSION}
   * extension attribute when {@code principal} is not null.
   *
   * @throws IllegalArgumentException also for a blank principal
   */
  public CloudEvent toCloudEvent(DaflowEvent event, String id, String principal) {
    if (principal != null && principal.isBlank()) {
      throw new IllegalArgumentException("cannot publish " + event.type() + ": blank principal");
    }
    List<String> missing = EventJson.missingInRecord((Record) event);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("cannot publish " + event.type() + ": "
          + String.join("; ", missing));
    }
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("cannot publish " + event.type() + ": blank event id");
    }
    CloudEventBuilder builder = CloudEventBuilder.v1();
    if (principal != null) {
      builder.withExtension(PRINCIPAL_EXTENSION, principal);
    }
    return builder
        .withId(id)
        .withSource(source)
        .withType(event.type().ceType())
        .withTime(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MILLIS))
        .withDataContentType(CONTENT_TYPE)
        .withData(EventJson.write(event))
        .build();
  }

  /**
   * The event in a consumed record.
   *
   * @throws EventFormatException naming the problem when the record is not a valid DAFlow event
   */
  public EventEnvelope<DaflowEvent> decode(ConsumerRecord<String, byte[]> record)
      throws EventFormatException {
    Headers headers = record.headers();
    Origin origin = new Origin(record.topic() + "-" + record.partition() + "@" + record.offset(),
        record.key(), header(headers, "ce_id"), header(headers, "ce_type"));
    checkHeaders(headers, origin);
    CloudEvent ce;
    try {
      ce = KafkaMessageFactory.createReader(record).toEvent();
    } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
      throw new EventFormatException(Problem.INVALID_ATTRIBUTE, "invalid CloudEvents headers: "
          + e.getMessage(), origin, e);
    }
    return decode(record.key(), ce, origin);
  }

  /**
   * The event in a consumed record, which must be of type {@code expected} (for topics that carry
   * a single type, like {@link Topics#TRAINING_REQUESTS}).
   *
   * @throws EventFormatException when the record is not a valid DAFlow event of that type
   */
  public <E extends DaflowEvent> EventEnvelope<E> decode(ConsumerRecord<String, byte[]> record,
      Class<E> expected) throws EventFormatException {
    EventEnvelope<DaflowEvent> e = decode(record);
    if (!expected.isInstance(e.event())) {
      Origin origin = new Origin(record.topic() + "-" + record.partition() + "@"
          + record.offset(), record.key(), e.id(), e.type().ceType());
      throw new EventFormatException(Problem.UNEXPECTED_TYPE, "expected "
          + EventType.of(expected).ceType() + ", got " + e.type().ceType(), origin, null);
    }
    @SuppressWarnings("unchecked") // checked just above
    EventEnvelope<E> typed = (EventEnvelope<E>) e;
    return typed;
  }

  /**
   * The event in a CloudEvent that arrived with record key {@code key}, for consumers that read
   * with the SDK's {@code CloudEventDeserializer}.
   *
   * @throws EventFormatException when it is not a valid DAFlow event
   */
  public EventEnvelope<DaflowEvent> decode(String key, CloudEvent event)
      throws EventFormatException {
    return decode(key, event, new Origin("CloudEvent", key, event.getId(), event.getType()));
  }

  private EventEnvelope<DaflowEvent> decode(String key, CloudEvent ce, Origin origin)
      throws EventFormatException {
    if (ce.getSpecVersion() != SpecVersion.V1) {
      throw new EventFormatException(Problem.UNSUPPORTED_SPEC_VERSION, "specversion "
          + ce.getSpecVersion() + " is not supported, only " + SPEC_VERSION, origin, null);
    }
    EventType type = EventType.ofCeType(ce.getType()).orElseThrow(() -> new EventFormatException(
        Problem.UNKNOWN_TYPE, "unknown event type '" + ce.getType() + "'; known: "
        + KNOWN_TYPES, origin, null));
    if (ce.getTime() == null) {
      throw new EventFormatException(Problem.MISSING_HEADER, "no time (header ce_time)", origin,
          null);
    }
    checkContentType(ce.getDataContentType(), origin);
    CloudEventData data = ce.getData();
    byte[] json = data == null ? null : data.toBytes();
    if (json == null || json.length == 0) {
      throw new EventFormatException(Problem.MISSING_DATA, "the record has no value (expected the "
          + type + " JSON)", origin, null);
    }
    DaflowEvent event;
    try {
      event = EventJson.read(json, type.eventClass());
    } catch (EventJson.PayloadException e) {
      throw new EventFormatException(e.problem, type + " payload: " + e.getMessage(), origin, e);
    }
    if (key == null || !key.equals(event.key())) {
      throw new EventFormatException(Problem.KEY_MISMATCH, (key == null ? "the record has no key"
          : "the record key '" + key + "' is not") + " the aggregate id of this " + type + " ('"
          + event.key() + "')", origin, null);
    }
    Object principal = ce.getExtension(PRINCIPAL_EXTENSION);
    return new EventEnvelope<>(ce.getId(), ce.getSource(), type, ce.getTime().toInstant(), event,
        principal == null || principal.toString().isBlank() ? null : principal.toString());
  }

  private static void checkHeaders(Headers headers, Origin origin) throws EventFormatException {
    String contentType = header(headers, "content-type");
    if (contentType != null && contentType.startsWith("application/cloudevents")) {
      throw new EventFormatException(Problem.UNSUPPORTED_CONTENT_TYPE, "content-type "
          + contentType + " is CloudEvents structured mode; DAFlow topics use binary mode ("
          + "ce_ headers, " + CONTENT_TYPE + " value)", origin, null);
    }
    List<String> missing = new ArrayList<>();
    for (String name : REQUIRED_HEADERS) {
      String value = header(headers, name);
      if (value == null || value.isBlank()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new EventFormatException(Problem.MISSING_HEADER, "not a CloudEvent in binary mode: "
          + "missing header" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing),
          origin, null);
    }
    String specVersion = header(headers, "ce_specversion");
    if (!SPEC_VERSION.equals(specVersion)) {
      throw new EventFormatException(Problem.UNSUPPORTED_SPEC_VERSION, "ce_specversion '"
          + specVersion + "' is not supported, only " + SPEC_VERSION, origin, null);
    }
  }

  private static void checkContentType(String contentType, Origin origin)
      throws EventFormatException {
    if (contentType == null) {
      throw new EventFormatException(Problem.MISSING_HEADER, "no data content type (header "
          + "content-type)", origin, null);
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(CONTENT_TYPE)) {
      throw new EventFormatException(Problem.UNSUPPORTED_CONTENT_TYPE, "content-type '"
          + contentType + "' is not " + CONTENT_TYPE, origin, null);
    }
  }

  private static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
