package dev.daflow.inference.messaging;

import dev.daflow.events.ModelPromoted;
import dev.daflow.events.Topics;
import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.inference.service.LoadRequest;
import dev.daflow.inference.service.ModelLoader;
import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.service.common.messaging.EventHandler;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference-service's event handler: reads {@code model.promoted} from {@link Topics#MODELS}
 * and hands each to the {@link ModelLoader}; other events on the topic ({@code model.evaluated})
 * are passed over. Every replica must load every promotion, so each reads in a consumer group of
 * its own, {@code daflow-inference-<replica-id>}, from the earliest record the first time. Set-up
 * (the topics; the buckets are {@code StoreSync}'s), the malformed-events counter, metrics,
 * readiness and shutdown are service-common's {@code ManagedConsumers}.
 */
@Singleton
public class PromotionListener implements EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionListener.class);

  private final ModelLoader loader;
  private final String groupId;

  public PromotionListener(ModelLoader loader, InferenceConfig config) {
    this.loader = loader;
    this.groupId = groupId(config.inference().replicaId().orElseGet(PromotionListener::hostName));
  }

  /** {@code daflow-inference-<replica-id>}, the id reduced to characters Kafka tools like. */
  static String groupId(String replicaId) {
    String id = replicaId.trim().replaceAll("[^A-Za-z0-9._-]", "-");
    return "daflow-inference-" + (id.isEmpty() ? "replica" : id);
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** The consumer group of this replica. */
  public String groupId() {
    return groupId;
  }

  @Override
  public EventConsumer.Options options() {
    return EventConsumer.Options.quick(groupId, List.of(Topics.MODELS));
  }

  /** The models come from the buckets {@code StoreSync} sets up, apart from Kafka's set-up. */
  @Override
  public boolean needsBuckets() {
    return false;
  }

  @Override
  public CompletableFuture<?> handle(EventConsumer.Delivery delivery) {
    if (delivery.event() instanceof ModelPromoted promoted) {
      LOG.info("model {} version {} promoted (job {}, {})", promoted.modelName(),
          promoted.version(), promoted.jobId(), promoted.bundleKey());
      return loader.load(LoadRequest.of(promoted));
    }
    return CompletableFuture.completedFuture(null);
  }
}
