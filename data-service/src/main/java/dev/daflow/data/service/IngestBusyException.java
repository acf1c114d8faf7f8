package dev.daflow.data.service;

import java.time.Duration;

/** Every ingestion slot stayed busy for the whole queue timeout: try again later. */
public class IngestBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public IngestBusyException(int slots, Duration waited) {
    super("all " + slots + " ingestion slot(s) stayed busy for " + waited.toSeconds()
        + " s (daflow.data.max-concurrent-ingests); try again later");
    this.retryAfter = Duration.ofSeconds(30);
  }

  /** A reasonable time to wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
