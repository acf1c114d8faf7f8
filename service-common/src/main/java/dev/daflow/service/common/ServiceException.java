package dev.daflow.service.common;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the service refuses for a reason of its domain (an unknown job, a dataset that exists,
 * a full queue), with the kind of refusal and its short {@code error} label. Services throw
 * subclasses named for their domain ({@code JobNotFoundException}...); service-common's {@code
 * CommonErrorMappers} turns every one into an {@code {"error", "detail"}} answer with the kind's
 * HTTP status (and {@code Retry-After} when {@link #retryAfter} says), so no service writes its
 * own mapper for them.
 */
public class ServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal, and its HTTP status. */
  public enum Kind {
    /** No such thing: 404. */
    NOT_FOUND(404),
    /** The request contradicts what exists (a finished job, a dataset from elsewhere): 409. */
    CONFLICT(409),
    /** Too many requests at once: 429, with {@code Retry-After}. */
    BUSY(429);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    /** The HTTP status of this kind. */
    public int status() {
      return status;
    }
  }

  private final Kind kind;
  private final String error;
  private final Duration retryAfter;

  /**
   * @param error the short label of the answer's {@code error} field, e.g. {@code job not found}
   * @param message the whole story, the answer's {@code detail}
   */
  public ServiceException(Kind kind, String error, String message) {
    this(kind, error, message, null);
  }

  /** As above, telling the client when to try again. */
  public ServiceException(Kind kind, String error, String message, Duration retryAfter) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.error = Objects.requireNonNull(error, "error");
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** The short label of the refusal. */
  public String error() {
    return error;
  }

  /** When a client may try again, if the service knows. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
