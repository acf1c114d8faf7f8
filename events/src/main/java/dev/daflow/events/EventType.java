package dev.daflow.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every DAFlow event type: its short name, its CloudEvents {@code type} attribute ({@code
 * dev.daflow.} + name), the record that carries it and its topic. This is the registry consumers
 * decode with; add a row here (and to {@link DaflowEvent}'s permits) for a new event.
 *
 * <p>A renamed type keeps its former names ({@link #formerCeTypes()}): records published under
 * one still decode into today's record, whose {@code @JsonAlias} fields take the former field
 * names.
 */
public enum EventType {
  DATASET_INGESTED("dataset.ingested", DatasetIngested.class, Topics.DATASETS),
  DATASET_REJECTED("dataset.rejected", DatasetRejected.class, Topics.DATASETS),
  DATASET_DELETED("dataset.deleted", DatasetDeleted.class, Topics.DATASETS),
  TRAINING_REQUESTED("training.requested", TrainingRequested.class, Topics.TRAINING_REQUESTS),
  TRAINING_REJECTED("training.rejected", TrainingRejected.class, Topics.TRAINING),
  TRAINING_STARTED("training.started", TrainingStarted.class, Topics.TRAINING),
  TRAINING_PROGRESS("training.progress", TrainingProgress.class, Topics.TRAINING),
  /** Called {@code checkpoint.saved} until its records named their datasets. */
  EPOCH_BUNDLE_SAVED("epoch-bundle.saved", EpochBundleSaved.class, Topics.TRAINING,
      "checkpoint.saved"),
  TRAINING_COMPLETED("training.completed", TrainingCompleted.class, Topics.TRAINING),
  TRAINING_FAILED("training.failed", TrainingFailed.class, Topics.TRAINING),
  TRAINING_CANCELLED("training.cancelled", TrainingCancelled.class, Topics.TRAINING),
  MODEL_EVALUATED("model.evaluated", ModelEvaluated.class, Topics.MODELS),
  MODEL_PROMOTED("model.promoted", ModelPromoted.class, Topics.MODELS),
  MODEL_PROMOTION_DECLINED("model.promotion.declined", ModelPromotionDeclined.class,
      Topics.MODELS);

  /** Prefix of every CloudEvents {@code type} DAFlow publishes (reverse-DNS, as the spec asks). */
  public static final String TYPE_PREFIX = "dev.daflow.";

  private static final Map<String, EventType> BY_CE_TYPE = Arrays.stream(values())
      .flatMap(t -> Stream.concat(Stream.of(t.ceType()), t.formerCeTypes().stream())
          .map(ce -> Map.entry(ce, t)))
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(EventType::eventClass, Function.identity()));

  private final String shortName;
  private final Class<? extends DaflowEvent> eventClass;
  private final String topic;
  private final List<String> formerNames;

  EventType(String shortName, Class<? extends DaflowEvent> eventClass, String topic,
      String... formerNames) {
    this.shortName = shortName;
    this.eventClass = eventClass;
    this.topic = topic;
    this.formerNames = List.of(formerNames);
  }

  /** The name used in docs and logs, e.g. {@code training.started}. */
  public String shortName() {
    return shortName;
  }

  /**
   * The CloudEvents {@code type} attribute ({@code ce_type} header), e.g. {@code
   * dev.daflow.training.started}.
   */
  public String ceType() {
    return TYPE_PREFIX + shortName;
  }

  /**
   * The CloudEvents {@code type} attributes this event was published under before it was renamed
   * (oldest first); records with one decode as this type. Never written.
   */
  public List<String> formerCeTypes() {
    return formerNames.stream().map(n -> TYPE_PREFIX + n).toList();
  }

  /** The record that carries this event. */
  public Class<? extends DaflowEvent> eventClass() {
    return eventClass;
  }

  /** The topic events of this type are published to (see {@link Topics}). */
  public String topic() {
    return topic;
  }

  /**
   * The type with this CloudEvents {@code type} attribute (today's or a former one), if DAFlow
   * knows it.
   */
  public static Optional<EventType> ofCeType(String ceType) {
    return ceType == null ? Optional.empty() : Optional.ofNullable(BY_CE_TYPE.get(ceType));
  }

  /** The type of an event record class. */
  public static EventType of(Class<? extends DaflowEvent> eventClass) {
    EventType t = BY_CLASS.get(eventClass);
    if (t == null) {
      throw new IllegalArgumentException("not a registered event class: " + eventClass.getName());
    }
    return t;
  }

  @Override
  public String toString() {
    return shortName;
  }
}
