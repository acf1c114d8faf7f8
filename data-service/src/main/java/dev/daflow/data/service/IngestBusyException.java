package dev.daflow.data.service;

import dev.daflow.service.common.ServiceException;
import java.time.Duration;

/** Every ingestion slot stayed busy for the whole queue timeout: try again later. */
public class IngestBusyException extends ServiceException {
  private static final long serialVersionUID = 1L;

  /** A reasonable time to wait before trying again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  public IngestBusyException(int slots, Duration waited) {
    super(Kind.BUSY, "busy", "all " + slots + " ingestion slot(s) stayed busy for "
        + waited.toSeconds() + " s (daflow.data.max-concurrent-ingests); try again later",
        RETRY_AFTER);
  }
}
