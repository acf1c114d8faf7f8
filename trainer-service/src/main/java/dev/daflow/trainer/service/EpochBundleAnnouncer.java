package dev.daflow.trainer.service;

import dev.daflow.events.EpochBundleSaved;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * Makes an epoch count: first the job record takes it (its {@code epoch} and the {@code
 * epoch-bundle.saved} event itself), then the event is published ({@link
 * JobEvents#epochBundleSaved}, under its deterministic id {@code (EPOCH_BUNDLE_SAVED, jobId,
 * epoch)}).
 *
 * <p>A resumed run starts after the record's epoch. Written in this order, a trainer killed
 * between the two writes has recorded an epoch it has not announced, never the other way round:
 * the next run does not train that epoch again, and {@link #reannounce} publishes the recorded
 * event once more, under the same id, so the announcement is not lost either. Consumers are
 * idempotent (evaluator-service finds the bundle evaluated and publishes that evaluation again
 * under its own id), so an announcement made twice changes nothing.
 */
final class EpochBundleAnnouncer {

  /** Where job records are changed ({@link JobRecords#update} in the service). */
  @FunctionalInterface
  interface Records {
    /** Reads the job's record, applies {@code change}, writes and returns the result. */
    JobRecord update(String jobId, UnaryOperator<JobRecord> change);
  }

  /** Where the announcement goes ({@link JobEvents#epochBundleSaved}); returns once stored. */
  @FunctionalInterface
  interface Announcements {
    void publish(EpochBundleSaved event);
  }

  private final Records records;
  private final Announcements announcements;
  private final Clock clock;

  EpochBundleAnnouncer(Records records, Announcements announcements, Clock clock) {
    this.records = records;
    this.announcements = announcements;
    this.clock = clock;
  }

  /**
   * Records {@code saved} in its job's record, then publishes it.
   *
   * @return the record as written (it may carry a cancel request from another replica)
   */
  JobRecord announce(EpochBundleSaved saved) {
    JobRecord record = records.update(saved.jobId(),
        r -> r.withCheckpoint(saved, clock.instant()));
    announcements.publish(saved);
    return record;
  }

  /**
   * Publishes again the last epoch {@code record} names, under its id, in case the run that
   * recorded it was killed before announcing it.
   *
   * @return whether the record named one
   */
  boolean reannounce(JobRecord record) {
    if (record == null || record.checkpoint() == null) {
      return false;
    }
    announcements.publish(record.checkpoint());
    return true;
  }
}
