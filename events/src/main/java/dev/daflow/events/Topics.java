package dev.daflow.events;

import java.util.List;

/**
 * The Kafka topics of DAFlow, one per aggregate: all events of one aggregate share a topic and a
 * key, so Kafka keeps them in order (a job's {@code training.started} is always read before its
 * {@code training.completed}). {@link EventType#topic()} gives the topic of each event.
 */
public final class Topics {

  /** Dataset events ({@code dataset.ingested}, {@code dataset.rejected}); key: dataset name. */
  public static final String DATASETS = "daflow.datasets";

  /**
   * Training requests ({@code training.requested}); key: job id. Kept apart from {@link
   * #TRAINING} so that the trainers' consumer group reads only work to do.
   */
  public static final String TRAINING_REQUESTS = "daflow.training.requests";

  /**
   * What happens to a training job, from {@code training.rejected} or {@code training.started}
   * through {@code training.progress} and {@code epoch-bundle.saved} to {@code training.completed},
   * {@code training.failed} or {@code training.cancelled}; key: job id.
   */
  public static final String TRAINING = "daflow.training";

  /** Model events ({@code model.evaluated}, {@code model.promoted}); key: model name. */
  public static final String MODELS = "daflow.models";

  private Topics() {}

  /** All topics, for creating them or subscribing to everything. */
  public static List<String> all() {
    return List.of(DATASETS, TRAINING_REQUESTS, TRAINING, MODELS);
  }

  /** The topic an event of this type is published to. */
  public static String of(EventType type) {
    return type.topic();
  }

  /** The topic this event is published to. */
  public static String of(DaflowEvent event) {
    return event.type().topic();
  }
}
