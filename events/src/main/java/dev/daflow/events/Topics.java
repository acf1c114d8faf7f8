package dev.daflow.events;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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
   * Every requests topic: {@link #TRAINING_REQUESTS} and the per-user ones ({@link
   * #trainingRequestsOf}), which the trainers subscribe to.
   */
  public static final Pattern TRAINING_REQUESTS_PATTERN =
      Pattern.compile(Pattern.quote(TRAINING_REQUESTS) + "(\\.[A-Za-z0-9._-]+)?");

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

  /**
   * The requests topic of an authenticated Kafka user, {@code daflow.training.requests.<user>}:
   * the broker's ACLs let only that user write it (and the services read it), so a request read
   * there was sent by that user ({@link Principals#ofRequest}).
   *
   * @throws IllegalArgumentException if the user name cannot be part of a topic name
   */
  public static String trainingRequestsOf(String user) {
    return TRAINING_REQUESTS + "." + Principals.checkKafkaUser(user);
  }

  /**
   * Where a client publishes its training requests: its own topic when it authenticates as a
   * SASL user, else (a PLAINTEXT broker) the plain {@link #TRAINING_REQUESTS}.
   *
   * @param saslUser the client's SASL user; null without SASL
   */
  public static String trainingRequestsFor(String saslUser) {
    return saslUser == null ? TRAINING_REQUESTS : trainingRequestsOf(saslUser);
  }

  /** The user of a per-user requests topic; empty for any other topic (the plain one too). */
  public static Optional<String> requestsUser(String topic) {
    String prefix = TRAINING_REQUESTS + ".";
    if (topic == null || !topic.startsWith(prefix)
        || !TRAINING_REQUESTS_PATTERN.matcher(topic).matches()) {
      return Optional.empty();
    }
    return Optional.of(topic.substring(prefix.length()));
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
