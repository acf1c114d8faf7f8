package dev.daflow.trainer.service;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingStarted;
import dev.daflow.platform.kafka.EventPublisher.PublishException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * {@link JobEvents} published through an event sink (the Kafka publisher in the service), with
 * their deterministic ids. Progress is throttled: one event every {@code progressEvery}
 * iterations, and none for {@link #PROGRESS_BACKOFF} after one failed to publish, so that a Kafka
 * outage does not hold training up. One instance per job run (it holds the progress back-off).
 */
final class PublishedJobEvents implements JobEvents {
  private static final Logger LOG = Logger.getLogger(PublishedJobEvents.class);
  /** After a failed progress event, progress is not published for this long. */
  static final Duration PROGRESS_BACKOFF = Duration.ofSeconds(30);

  /** Where events go; returns once the event is stored. */
  @FunctionalInterface
  interface Sink {
    void publish(DaflowEvent event, String id);
  }

  private final Sink sink;
  private final int progressEvery;
  private final LongSupplier nanoTime;
  private long progressPausedUntil;

  /**
   * @param progressEvery iterations between two {@code training.progress} events (at least 1)
   * @param nanoTime the monotonic clock of the progress back-off ({@code System::nanoTime})
   */
  PublishedJobEvents(Sink sink, int progressEvery, LongSupplier nanoTime) {
    if (progressEvery < 1) {
      throw new IllegalArgumentException("progressEvery must be >= 1, got " + progressEvery);
    }
    this.sink = sink;
    this.progressEvery = progressEvery;
    this.nanoTime = nanoTime;
    this.progressPausedUntil = nanoTime.getAsLong();
  }

  /** The id of an epoch's announcement: the same for every run of the job. */
  static String epochBundleId(EpochBundleSaved e) {
    return EventIds.of(EventType.EPOCH_BUNDLE_SAVED, e.jobId(), e.epoch());
  }

  @Override
  public void rejected(TrainingRejected e, String requestEventId) {
    sink.publish(e, EventIds.of(EventType.TRAINING_REJECTED, e.jobId(), requestEventId));
  }

  @Override
  public void started(TrainingStarted e) {
    sink.publish(e, EventIds.of(EventType.TRAINING_STARTED, e.jobId(), e.startEpoch()));
  }

  @Override
  public boolean progress(TrainingProgress e) {
    if (e.iteration() % progressEvery != 0 || nanoTime.getAsLong() < progressPausedUntil) {
      return false;
    }
    try {
      sink.publish(e, EventIds.of(EventType.TRAINING_PROGRESS, e.jobId(), e.iteration()));
      return true;
    } catch (PublishException ex) {
      // Progress may be dropped; do not hold training up while Kafka is away.
      LOG.warnf("job %s: progress not published, pausing progress events for %d s: %s",
          e.jobId(), PROGRESS_BACKOFF.toSeconds(), ex.getMessage());
      progressPausedUntil = nanoTime.getAsLong() + PROGRESS_BACKOFF.toNanos();
      return false;
    }
  }

  @Override
  public void epochBundleSaved(EpochBundleSaved e) {
    sink.publish(e, epochBundleId(e));
  }

  @Override
  public void completed(TrainingCompleted e) {
    sink.publish(e, EventIds.of(EventType.TRAINING_COMPLETED, e.jobId()));
  }

  @Override
  public void cancelled(TrainingCancelled e, String requestEventId) {
    sink.publish(e, EventIds.of(EventType.TRAINING_CANCELLED, e.jobId(), requestEventId));
  }

  @Override
  public void failed(TrainingFailed e, String requestEventId) {
    sink.publish(e, EventIds.of(EventType.TRAINING_FAILED, e.jobId(), requestEventId));
  }
}
