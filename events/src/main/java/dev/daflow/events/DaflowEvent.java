package dev.daflow.events;

/**
 * A DAFlow event: an immutable fact, named in the past tense, about one aggregate (a dataset, a
 * training job or a model). Each event type is one record; {@link EventType} lists them all.
 */
public sealed interface DaflowEvent
    permits DatasetIngested, DatasetRejected, DatasetDeleted, TrainingRequested, TrainingRejected,
    TrainingStarted, TrainingProgress, EpochBundleSaved, TrainingCompleted, TrainingFailed,
    TrainingCancelled, ModelEvaluated, ModelPromoted, ModelPromotionDeclined {

  /**
   * The id of the aggregate this event is about, used as the Kafka record key so that all events
   * of one aggregate stay in order on one partition: the dataset name, the job id or the model
   * name.
   */
  String key();

  /** This event's type. */
  default EventType type() {
    return EventType.of(getClass());
  }
}
