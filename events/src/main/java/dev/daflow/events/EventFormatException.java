package dev.daflow.events;

/**
 * A Kafka record that is not a valid DAFlow event. Thrown per record by {@link EventCodec}'s
 * decode methods, so a consumer can log it (or answer with a rejection event, e.g. {@link
 * TrainingRejected} for an unreadable request keyed by {@link #key()}) and go on with the next
 * record instead of stopping on a poison message. The message names the record and the problem.
 */
public final class EventFormatException extends Exception {

  /** What is wrong, for code that reacts differently to different problems. */
  public enum Problem {
    /**
     * A required header is absent: {@code ce_specversion}, {@code ce_id}, {@code ce_source},
     * {@code ce_type}, {@code ce_time} or {@code content-type}.
     */
    MISSING_HEADER,
    /** {@code ce_specversion} is not {@code 1.0}. */
    UNSUPPORTED_SPEC_VERSION,
    /** {@code content-type} is not {@code application/json} (structured mode included). */
    UNSUPPORTED_CONTENT_TYPE,
    /** A CloudEvents attribute has an invalid value (e.g. a {@code ce_time} that is no time). */
    INVALID_ATTRIBUTE,
    /** {@code ce_type} is not a DAFlow event type. */
    UNKNOWN_TYPE,
    /** A known type, but not the one the caller expects on this topic. */
    UNEXPECTED_TYPE,
    /** The record has no value. */
    MISSING_DATA,
    /** The value is not JSON. */
    MALFORMED_JSON,
    /** The JSON does not fit the event: a field missing, null or of the wrong type. */
    INVALID_PAYLOAD,
    /** The record key is absent or not the event's aggregate id. */
    KEY_MISMATCH
  }

  private final Problem problem;
  private final String key;
  private final String eventId;
  private final String ceType;

  EventFormatException(Problem problem, String detail, Origin origin, Throwable cause) {
    super("cannot read event " + origin + ": " + detail, cause);
    this.problem = problem;
    this.key = origin.key();
    this.eventId = origin.eventId();
    this.ceType = origin.ceType();
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }

  /** The record key, or {@code null}. */
  public String key() {
    return key;
  }

  /** The {@code ce_id} header, or {@code null} when absent. */
  public String eventId() {
    return eventId;
  }

  /** The {@code ce_type} header, or {@code null} when absent. */
  public String ceType() {
    return ceType;
  }

  /**
   * Where a record came from, for messages.
   *
   * @param where {@code topic-partition@offset}, or a description
   */
  record Origin(String where, String key, String eventId, String ceType) {
    @Override
    public String toString() {
      return where + " (key " + quote(key) + ", ce_id " + quote(eventId) + ", ce_type "
          + quote(ceType) + ")";
    }

    private static String quote(String s) {
      return s == null ? "none" : "'" + s + "'";
    }
  }
}
