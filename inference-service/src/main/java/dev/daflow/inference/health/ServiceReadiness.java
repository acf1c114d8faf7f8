package dev.daflow.inference.health;

import dev.daflow.inference.messaging.PromotionListener;
import dev.daflow.inference.service.LoadedModel;
import dev.daflow.inference.service.ModelRegistry;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageHealth;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * What readiness means for this service: Kafka reachable (and this replica's consumer polling),
 * the object store reachable with its buckets, and at least one model loaded. Shared by the
 * {@code /q/health/ready} checks and the OIP {@code /v2/health/ready}. The store's answer is kept
 * {@value #CACHE_SECONDS} s, as {@link KafkaProbe} keeps Kafka's, so frequent probes stay cheap.
 */
@Singleton
public class ServiceReadiness {
  static final int CACHE_SECONDS = 5;

  /**
   * One component's state.
   *
   * @param up whether it is ready
   * @param detail what it is, or why it is not ready
   */
  public record Status(boolean up, String detail) {}

  private final KafkaProbe kafka;
  private final ObjectStore store;
  private final ModelRegistry models;
  private final PromotionListener listener;
  private Instant storeCheckedAt = Instant.EPOCH;
  private StorageHealth storeHealth;

  @Inject
  public ServiceReadiness(KafkaProbe kafka, ObjectStore store, ModelRegistry models,
      PromotionListener listener) {
    this.kafka = kafka;
    this.store = store;
    this.models = models;
    this.listener = listener;
  }

  /** Kafka answers and the consumer polls. */
  public Status kafka() {
    KafkaProbe.Result r = kafka.check();
    if (!r.reachable()) {
      return new Status(false, r.detail());
    }
    if (!listener.isRunning()) {
      return new Status(false, r.detail() + "; consumer " + listener.groupId()
          + " is not running yet");
    }
    return new Status(true, r.detail() + "; consumer group " + listener.groupId());
  }

  /** The store answers and every bucket exists. */
  public Status store() {
    StorageHealth h = storeHealth();
    return new Status(h.ready(), h.ready() ? "object store at " + h.endpoint() : h.problem());
  }

  /** At least one model is loaded. */
  public Status models() {
    if (!models.hasAny()) {
      return new Status(false, models.names().isEmpty() ? "no model promoted yet"
          : "no model loaded yet (promoted: " + models.names() + ")");
    }
    return new Status(true, models.loaded().stream()
        .map(m -> m.name() + " v" + m.version())
        .collect(Collectors.joining(", ")));
  }

  /** All three. */
  public boolean ready() {
    return models().up() && store().up() && kafka().up();
  }

  private synchronized StorageHealth storeHealth() {
    if (storeHealth == null
        || Instant.now().isAfter(storeCheckedAt.plus(Duration.ofSeconds(CACHE_SECONDS)))) {
      storeHealth = store.health();
      storeCheckedAt = Instant.now();
    }
    return storeHealth;
  }
}
