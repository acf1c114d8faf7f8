package dev.daflow.inference.service;

/**
 * A request the service refuses, with the HTTP status that says why; the REST layer answers it as
 * {@code {"error": message}}. Subclasses name the cases.
 */
public abstract class InferenceException extends RuntimeException {
  private final int status;

  protected InferenceException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the refusal. */
  public int status() {
    return status;
  }

  /** 400: the request is not a valid tensor or picture for the model. */
  public static final class InvalidInput extends InferenceException {
    public InvalidInput(String message) {
      super(400, message);
    }
  }

  /** 413: the body is larger than {@code daflow.inference.max-body-bytes}. */
  public static final class TooLarge extends InferenceException {
    public TooLarge(String message) {
      super(413, message);
    }
  }

  /** 404: no model of that name (or version) is known. */
  public static final class ModelNotFound extends InferenceException {
    public ModelNotFound(String message) {
      super(404, message);
    }
  }

  /** 503: the model is known (promoted) but not loaded (yet). */
  public static final class ModelNotReady extends InferenceException {
    public ModelNotReady(String message) {
      super(503, message);
    }
  }

  /** 429: every turn was taken for longer than the queue timeout. */
  public static final class Overloaded extends InferenceException {
    public Overloaded(String message) {
      super(429, message);
    }
  }
}
