package dev.daflow.events;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who asked for something, as the CloudEvents extension attribute {@code principal} ({@link
 * EventEnvelope#principal()}), the trainer's job record, the model card and the evaluator's model
 * record name it: one spelling everywhere, the authentication that vouched for the user as a
 * prefix.
 *
 * <ul>
 *   <li>{@code jwt:<name>}: a bearer token's user (its {@code upn}, {@code preferred_username} or
 *       {@code sub}, as {@code JsonWebToken.getName()} gives it) of an HTTP request to a service
 *       (trainer-service's {@code POST /jobs}, evaluator-service's promotion by hand,
 *       data-service's {@code DELETE /datasets/{name}});
 *   <li>{@code kafka:<user>}: the authenticated Kafka (SASL) user that wrote a training request
 *       straight on Kafka ({@code daflow train}), known from the topic it could write ({@link
 *       Topics#trainingRequestsOf}): Kafka does not tell a consumer who produced a record, its
 *       ACLs say who may write a topic;
 *   <li>{@value #KAFKA_ANONYMOUS}: a request on the plain {@link Topics#TRAINING_REQUESTS} topic,
 *       which an unauthenticated (PLAINTEXT) client wrote;
 *   <li>{@code null}: not known (records and events from before principals were recorded; shown
 *       as {@value #UNKNOWN}).
 * </ul>
 */
public final class Principals {
  /** Prefix of a bearer token's user. */
  public static final String JWT = "jwt:";
  /** Prefix of an authenticated Kafka user. */
  public static final String KAFKA = "kafka:";
  /** Whoever wrote the plain requests topic: no Kafka authentication says who. */
  public static final String KAFKA_ANONYMOUS = KAFKA + "anonymous";
  /** How a missing principal is shown to people. */
  public static final String UNKNOWN = "unknown";

  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private Principals() {}

  /** The principal of a bearer token's user. */
  public static String jwt(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a token without a user name names no principal");
    }
    return JWT + name;
  }

  /** The principal of an authenticated Kafka user. */
  public static String kafka(String user) {
    return KAFKA + checkKafkaUser(user);
  }

  /** How {@code principal} is shown: itself, or {@value #UNKNOWN} when null. */
  public static String shown(String principal) {
    return principal == null ? UNKNOWN : principal;
  }

  /**
   * Checks that a Kafka user can name its own requests topic ({@link Topics#trainingRequestsOf}):
   * 1-200 of {@code A-Z a-z 0-9 . _ -}, the characters Kafka allows in topic names.
   *
   * @throws IllegalArgumentException naming the user and what is allowed
   */
  public static String checkKafkaUser(String user) {
    if (user == null || !USER.matcher(user).matches()) {
      throw new IllegalArgumentException("the Kafka user '" + user + "' cannot name a requests "
          + "topic: 1-200 of A-Z a-z 0-9 . _ - (what Kafka allows in topic names)");
    }
    return user;
  }

  /**
   * Who asked for a training request read from Kafka: derived from the topic it was read from,
   * never from the record's own word, except on the trainer's own topic.
   *
   * <ul>
   *   <li>{@code <requests>.<user>}: only {@code user} may write there (the broker's ACLs), so the
   *       principal is {@code kafka:<user>}, whatever the record's {@code principal} attribute
   *       says; except when {@code user} is {@code servicesUser}, the Kafka user of the service
   *       itself: its own REST API ({@code POST /jobs}) published the request there for the bearer
   *       token's user it names in the attribute ({@code jwt:<name>}), which is taken;
   *   <li>the plain {@code <requests>} topic: {@value #KAFKA_ANONYMOUS}, unless the service
   *       itself reads Kafka without SASL ({@code servicesUser} null: a PLAINTEXT broker, where
   *       its REST API publishes there), in which case an attribute is taken as on its own topic.
   *       On a SASL broker nobody but the super user may write the plain topic.
   * </ul>
   *
   * @param topic the topic the request was read from
   * @param attribute the record's {@code principal} attribute, null when absent
   * @param servicesUser the SASL user the reading service authenticates as; null without SASL
   * @return the principal, never null
   * @throws IllegalArgumentException if {@code topic} is not a requests topic
   */
  public static String ofRequest(String topic, String attribute, String servicesUser) {
    Objects.requireNonNull(topic, "topic");
    if (topic.equals(Topics.TRAINING_REQUESTS)) {
      return servicesUser == null && attribute != null ? attribute : KAFKA_ANONYMOUS;
    }
    String user = Topics.requestsUser(topic).orElseThrow(() -> new IllegalArgumentException(
        topic + " is not a training requests topic"));
    if (user.equals(servicesUser) && attribute != null) {
      return attribute;
    }
    return kafka(user);
  }

  /** The user of a principal {@code kafka:<user>}, if it is one. */
  public static Optional<String> kafkaUser(String principal) {
    return principal != null && principal.startsWith(KAFKA)
        ? Optional.of(principal.substring(KAFKA.length())) : Optional.empty();
  }
}
