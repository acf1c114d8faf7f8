package dev.daflow.trainer.messaging;

import dev.daflow.events.EventFormatException;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.Principals;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.platform.kafka.EventConsumer.Delivery;
import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.messaging.EventHandler;
import dev.daflow.trainer.config.TrainerConfig;
import dev.daflow.trainer.service.TrainingJobs;
import dev.daflow.trainer.service.TrainingMetrics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The trainer's event handler: consumes {@code daflow.training.requests} and every per-user
 * requests topic {@code daflow.training.requests.<user>} ({@link Topics#TRAINING_REQUESTS_PATTERN})
 * as consumer group {@value #GROUP}, which the trainer replicas share, one request per poll and up
 * to {@code daflow.trainer.workers} in flight. Who asked for a request is derived from the topic it
 * was read from ({@link Principals#ofRequest}), never taken from a client's own word. Each request
 * goes to {@link TrainingJobs}; its offset is committed when the job is done with. An unreadable record becomes {@code training.rejected}
 * (reason {@code malformed}); a partition taken away stops its jobs here (handover); at shutdown
 * the jobs still running are stopped. No domain logic here; set-up (topics, buckets), metrics,
 * readiness and shutdown are service-common's {@code ManagedConsumers}.
 */
@Singleton
public class TrainingRequestsListener implements EventHandler {
  /** The trainers' consumer group. */
  public static final String GROUP = "daflow-trainer";
  private static final Logger LOG = Logger.getLogger(TrainingRequestsListener.class);
  /** How long the jobs still running get to stop at shutdown. */
  private static final int STOP_SECONDS = 30;

  /** How often the consumer looks for new per-user requests topics. */
  static final Duration NEW_TOPICS_EVERY = Duration.ofSeconds(10);

  private final TrainerConfig config;
  private final EventPublisher publisher;
  private final TrainingJobs jobs;
  private final TrainingMetrics metrics;
  /** The SASL user this service reads and writes Kafka as; null without SASL. */
  private final String servicesUser;

  public TrainingRequestsListener(TrainerConfig config, EventPublisher publisher,
      TrainingJobs jobs, TrainingMetrics metrics, KafkaSettings kafka) {
    this.config = config;
    this.publisher = publisher;
    this.jobs = jobs;
    this.metrics = metrics;
    this.servicesUser = kafka.security().usesSasl() ? kafka.security().username() : null;
  }

  @Override
  public EventConsumer.Options options() {
    // One request per poll, so none waits behind a long job; one in flight per worker.
    return new EventConsumer.Options(GROUP, List.of(Topics.TRAINING_REQUESTS),
        Topics.TRAINING_REQUESTS_PATTERN, config.trainer().workers(), 1, Duration.ofMillis(500));
  }

  @Override
  public void configure(Properties consumerProperties) {
    // Cooperative rebalancing: a replica joining or leaving takes away only the partitions that
    // move, so the jobs of the others keep running.
    consumerProperties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    // A user's requests topic made after the start is read within this time.
    consumerProperties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG,
        String.valueOf(NEW_TOPICS_EVERY.toMillis()));
  }

  @Override
  public CompletionStage<?> handle(Delivery delivery) {
    if (delivery.event() instanceof TrainingRequested request) {
      return jobs.submit(request, delivery.envelope().id(), delivery.partition(),
          principal(delivery.partition().topic(), delivery.envelope().principal(),
              request.jobId()));
    }
    LOG.warnf("ignoring %s (key %s) on %s: only training.requested belongs there",
        delivery.envelope().type(), delivery.envelope().key(), delivery.partition().topic());
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Who sent a request read from {@code topic} ({@link Principals#ofRequest}); a {@code principal}
   * attribute the topic does not vouch for is ignored, and logged.
   */
  String principal(String topic, String attribute, String jobId) {
    String principal = Principals.ofRequest(topic, attribute, servicesUser);
    if (attribute != null && !attribute.equals(principal)) {
      LOG.warnf("job %s: request on %s says principal '%s'; ignored, it is %s (who may write"
          + " the topic)", jobId, topic, attribute, principal);
    }
    return principal;
  }

  /** Answers an unreadable request with {@code training.rejected} (reason {@code malformed}). */
  @Override
  public void onMalformed(ConsumerRecord<String, byte[]> record, EventFormatException e) {
    metrics.rejected("malformed");
    String key = e.key() != null && TrainingRequested.NAME.matcher(e.key()).matches()
        ? e.key() : "unknown";
    try {
      publisher.publish(new TrainingRejected(key, "malformed", List.of(e.getMessage())),
          EventIds.of(EventType.TRAINING_REJECTED, record.topic(), record.partition(),
              record.offset()),
          Principals.ofRequest(record.topic(), null, servicesUser));
    } catch (RuntimeException pe) {
      LOG.warnf("could not publish the rejection of %s-%d@%d: %s", record.topic(),
          record.partition(), record.offset(), pe.getMessage());
    }
  }

  @Override
  public void onDuplicate(Delivery delivery) {
    // The same event (same ce_id) again, after a commit that did not reach the broker.
    metrics.duplicate();
  }

  @Override
  public void onRevoked(Collection<TopicPartition> partitions) {
    jobs.handOver(partitions);
  }

  @Override
  public void onFailed(Delivery delivery, Throwable error) {
    LOG.errorf(error, "request %s (job %s) failed", delivery.envelope().id(),
        delivery.envelope().key());
  }

  /** The consumer is closed (requests of running jobs stay uncommitted): stop the jobs. */
  @Override
  public void stopped() {
    jobs.stopAll(STOP_SECONDS);
  }
}
