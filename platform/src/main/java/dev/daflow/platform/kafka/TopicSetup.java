package dev.daflow.platform.kafka;

import dev.daflow.events.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates DAFlow's topics ({@link Topics#all()}) where missing, and the client's own requests
 * topic when it authenticates as a SASL user ({@link EventPublisher#requestsTopic(KafkaSettings)}). Every service calls it at start,
 * so the first one up creates them and the others find them; {@value #PARTITIONS} partitions let
 * that many trainer replicas share the requests as one consumer group.
 */
public final class TopicSetup {
  /** Partitions of each topic. */
  public static final int PARTITIONS = 4;

  private TopicSetup() {}

  /**
   * @param replication replication factor (1 on a single broker)
   * @return the topics this call created
   */
  public static List<String> ensureTopics(KafkaSettings settings, short replication) {
    try (Admin admin = Admin.create(settings.admin())) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> wanted = new java.util.ArrayList<>(Topics.all());
      String own = EventPublisher.requestsTopic(settings);
      if (!wanted.contains(own)) {
        wanted.add(own);
      }
      List<String> missing = wanted.stream().filter(t -> !existing.contains(t)).toList();
      for (String topic : missing) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, replication)))
              .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic + " on "
                + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
          }
        }
      }
      return missing;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka at " + settings.bootstrapServers()
          + " does not answer: " + e.getMessage(), e);
    }
  }
}
