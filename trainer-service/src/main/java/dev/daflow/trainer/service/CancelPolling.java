package dev.daflow.trainer.service;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Notices a cancel request that reached another replica: such a request is only in the job's
 * record, which a running job reads every {@link #EVERY} (not on every step: it is an object
 * store read). A record that cannot be read is tried again at the next poll.
 */
final class CancelPolling {
  private static final Logger LOG = Logger.getLogger(CancelPolling.class);
  /** How often a running job reads its record for a cancel request sent to another replica. */
  static final Duration EVERY = Duration.ofSeconds(5);

  /** Reads the job's record ({@link JobRecords#find} in the service). */
  @FunctionalInterface
  interface Records {
    Optional<JobRecord> find(String jobId);
  }

  private final Records records;
  private final String jobId;
  private final Duration every;
  private final LongSupplier nanoTime;
  private long next;

  /**
   * @param every time between two reads
   * @param nanoTime the monotonic clock ({@code System::nanoTime})
   */
  CancelPolling(Records records, String jobId, Duration every, LongSupplier nanoTime) {
    this.records = records;
    this.jobId = jobId;
    this.every = every;
    this.nanoTime = nanoTime;
    this.next = nanoTime.getAsLong() + every.toNanos();
  }

  /** Whether the record, read if a poll is due, asks to cancel the job. Never throws. */
  boolean cancelRequested() {
    long now = nanoTime.getAsLong();
    if (now < next) {
      return false;
    }
    next = now + every.toNanos();
    try {
      boolean requested = records.find(jobId).map(JobRecord::cancelRequested).orElse(false);
      if (requested) {
        LOG.infof("job %s: its record asks to cancel it", jobId);
      }
      return requested;
    } catch (RuntimeException e) {
      LOG.debugf("job %s: cannot read its record: %s", jobId, e.getMessage());
      return false;
    }
  }
}
