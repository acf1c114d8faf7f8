package dev.daflow.trainer.service;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingStarted;

/**
 * The facts a job reports on {@code daflow.training}, each under its deterministic event id (so
 * that a run repeated after a crash publishes the same ids; see {@code EventIds}). Each method
 * returns once the event is stored, or throws {@code PublishException}. {@link PublishedJobEvents}
 * publishes them to Kafka; unit tests record them.
 */
interface JobEvents {

  /** {@code training.rejected}, id {@code (TRAINING_REJECTED, key, requestEventId)}. */
  void rejected(TrainingRejected event, String requestEventId);

  /** {@code training.started}, id {@code (TRAINING_STARTED, jobId, startEpoch)}. */
  void started(TrainingStarted event);

  /**
   * {@code training.progress}, id {@code (TRAINING_PROGRESS, jobId, iteration)}: throttled (only
   * some iterations are published) and never in the way of training (a failed publication is
   * logged, not thrown).
   *
   * @return whether it was published
   */
  boolean progress(TrainingProgress event);

  /** {@code epoch-bundle.saved}, id {@code (EPOCH_BUNDLE_SAVED, jobId, epoch)}. */
  void epochBundleSaved(EpochBundleSaved event);

  /** {@code training.completed}, id {@code (TRAINING_COMPLETED, jobId)}. */
  void completed(TrainingCompleted event);

  /** {@code training.cancelled}, id {@code (TRAINING_CANCELLED, jobId, requestEventId)}. */
  void cancelled(TrainingCancelled event, String requestEventId);

  /** {@code training.failed}, id {@code (TRAINING_FAILED, jobId, requestEventId)}. */
  void failed(TrainingFailed event, String requestEventId);
}
