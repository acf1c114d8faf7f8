package dev.daflow.storage;

/**
 * The object store could not be reached or did not answer in time: connection refused, unknown
 * host, a connect or read timeout, a connection lost mid-transfer, or a server error (HTTP 5xx)
 * that outlasted the client's retries. Usually transient: a caller may retry later, and a
 * readiness check reports the service not ready.
 */
public final class StorageUnavailableException extends StorageException {
  private final String endpoint;

  StorageUnavailableException(String endpoint, String what, Throwable cause) {
    super("object store at " + endpoint + " is unavailable: " + what, cause);
    this.endpoint = endpoint;
  }

  /** The endpoint that failed. */
  public String endpoint() {
    return endpoint;
  }
}
