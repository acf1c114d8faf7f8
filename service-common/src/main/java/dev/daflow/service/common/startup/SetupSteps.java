package dev.daflow.service.common.startup;

import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.platform.kafka.TopicSetup;
import dev.daflow.service.common.config.CommonConfig;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set-up steps every service shares, defined once: DAFlow's topics ({@link
 * TopicSetup#ensureTopics}, after a quick probe of the broker so that a broker that is down is
 * named within seconds) and the object store's buckets ({@link ObjectStore#ensureBuckets}); and
 * {@link #background}, which runs a service's steps with its {@link Backoff}.
 */
@Singleton
public class SetupSteps {
  private static final Logger LOG = LoggerFactory.getLogger(SetupSteps.class);

  private final CommonConfig common;
  private final KafkaSettings kafka;
  private final KafkaProbe probe;
  private final ObjectStore store;
  private final Backoff backoff;

  public SetupSteps(CommonConfig common, KafkaSettings kafka, KafkaProbe probe, ObjectStore store,
      Backoff backoff) {
    this.common = common;
    this.kafka = kafka;
    this.probe = probe;
    this.store = store;
    this.backoff = backoff;
  }

  /** Creates the topics that are missing. */
  public BackgroundSetup.Step topics() {
    return BackgroundSetup.Step.of("create the topics", () -> {
      // The probe answers within seconds; the topic set-up would wait 30 s for a broker away.
      KafkaProbe.Result broker = probe.check();
      if (!broker.reachable()) {
        throw new IllegalStateException(broker.detail());
      }
      List<String> created = TopicSetup.ensureTopics(kafka, common.kafka().replication());
      LOG.info("Kafka at {}: topics ready{}", kafka.bootstrapServers(),
          created.isEmpty() ? "" : " (created " + String.join(", ", created) + ")");
    });
  }

  /** Creates the buckets that are missing. */
  public BackgroundSetup.Step buckets() {
    return BackgroundSetup.Step.of("create the buckets", () -> {
      List<String> created = store.ensureBuckets();
      LOG.info("object store at {}: buckets ready{}", store.config().endpoint(),
          created.isEmpty() ? "" : " (created " + String.join(", ", created) + ")");
    });
  }

  /** Runs {@code steps} in the background with the service's back-off (not started yet). */
  public BackgroundSetup background(String name, List<BackgroundSetup.Step> steps) {
    return new BackgroundSetup(name, backoff, steps);
  }
}
