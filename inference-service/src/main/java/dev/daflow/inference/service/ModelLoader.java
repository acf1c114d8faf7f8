package dev.daflow.inference.service;

import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads promoted model versions: fetches the bundle from the object store (verified against the
 * promoted SHA-256 by {@link ObjectStore#getBytes(String, String, String)}), reads it with {@link
 * ModelBundle#read} (which checks its inner checksums), and offers it to the {@link
 * ModelRegistry}. Loads run one at a time on a thread of their own, so requests keep being served
 * by the current version meanwhile. A request for a version that is not newer than the served one,
 * or older than another request still waiting (a replay of old promotions), is skipped without
 * download. A store that does not answer is waited out with the service's {@link Backoff}, without
 * limit: the load completes once the store is back, or gives way to a newer version of the same
 * model requested meanwhile, or stops with the service. (Before, four tries over about 7 s ended in
 * a failed load, retried only by the next scan of the model records, 5 minutes later.)
 */
@Singleton
public class ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
  /** Fetches tried before a load fails: until the store answers. */
  static final int FETCH_ATTEMPTS = Backoff.UNLIMITED;

  /** Outcome of one load request. */
  public enum Outcome {
    /** Swapped in. */
    LOADED,
    /** Not newer than the served or a waiting version: nothing done. */
    SKIPPED,
    /** The bundle could not be fetched or read; the served version (if any) stays. */
    FAILED;

    /** The {@code outcome} tag of the loads counter. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where bundles come from: the object store, verified against the promoted SHA-256. */
  @FunctionalInterface
  public interface BundleSource {
    /**
     * The bytes of {@code bundleKey}, which must have SHA-256 {@code sha256}.
     *
     * @throws StorageUnavailableException if the store does not answer (retried)
     * @throws RuntimeException for anything else (the load fails)
     */
    byte[] fetch(String bundleKey, String sha256);

    /** Bundles from {@code store}, each verified by {@link ObjectStore#getBytes}. */
    static BundleSource of(ObjectStore store) {
      return (key, sha256) -> store.getBytes(key, sha256);
    }
  }

  private final BundleSource bundles;
  private final ModelRegistry registry;
  private final InferenceMetrics metrics;
  private final Clock clock;
  private final Backoff backoff;
  private final int attempts;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "daflow-model-loader");
    t.setDaemon(true);
    return t;
  });
  /** The highest version requested per model and not handled yet. */
  private final Map<String, Integer> waiting = new ConcurrentHashMap<>();

  @Inject
  public ModelLoader(ObjectStore store, ModelRegistry registry, InferenceMetrics metrics,
      Backoff backoff) {
    this(BundleSource.of(store), registry, metrics, Clock.systemUTC(), backoff, FETCH_ATTEMPTS);
  }

  /**
   * @param backoff the waits after a store that does not answer
   * @param attempts fetches tried before a load fails
   */
  public ModelLoader(BundleSource bundles, ModelRegistry registry, InferenceMetrics metrics,
      Clock clock, Backoff backoff, int attempts) {
    this.bundles = bundles;
    this.registry = registry;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = backoff;
    this.attempts = attempts;
  }

  /** Queues a load; the stage completes when it is done (never exceptionally). */
  public CompletableFuture<Outcome> load(LoadRequest request) {
    registry.announce(request.name());
    waiting.merge(request.name(), request.version(), Math::max);
    return CompletableFuture.supplyAsync(() -> loadNow(request), executor);
  }

  private Outcome loadNow(LoadRequest r) {
    Outcome outcome;
    try {
      outcome = fetchAndSwap(r);
    } catch (Exception | LinkageError e) {
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      LOG.error("model {} version {} ({}, from {}) failed to load: {}", r.name(), r.version(),
          r.bundleKey(), r.origin(), why);
      registry.failed(r.name(), r.version(), why);
      outcome = Outcome.FAILED;
    } finally {
      waiting.computeIfPresent(r.name(), (n, v) -> v <= r.version() ? null : v);
    }
    metrics.load(outcome.tag());
    return outcome;
  }

  private Outcome fetchAndSwap(LoadRequest r) throws Exception {
    int served = registry.version(r.name());
    int newest = waiting.getOrDefault(r.name(), r.version());
    if (r.version() <= served || r.version() < newest) {
      LOG.info("model {} version {} from {}: skipped (serving {}, newest requested {})",
          r.name(), r.version(), r.origin(), served, newest);
      return Outcome.SKIPPED;
    }
    byte[] bundle = fetch(r);
    Model model = ModelBundle.read(bundle, r.bundleKey());
    LoadedModel loaded = new LoadedModel(r.name(), r.version(), r.jobId(), r.bundleKey(),
        r.sha256(), model, clock.instant());
    if (!registry.offer(loaded)) {
      return Outcome.SKIPPED; // a newer version came in meanwhile
    }
    metrics.servingVersion(r.name());
    LOG.info("model {} version {} (job {}, {} bytes, network {}, {} classes) is served now",
        r.name(), r.version(), r.jobId(), bundle.length, model.network(),
        model.classNames().size());
    return Outcome.LOADED;
  }

  private byte[] fetch(LoadRequest r) throws Exception {
    // Only a store that does not answer is worth another try; the loader's shutdown, or a newer
    // version of the model waiting, stops it.
    return backoff.retry(attempts, Backoff.anyOf(StorageUnavailableException.class),
        () -> executor.isShutdown() || waiting.getOrDefault(r.name(), r.version()) > r.version(),
        (attempt, e, pause) -> LOG.warn(
            "model {} version {}: the store does not answer ({}), try {}{}; next in {} ms",
            r.name(), r.version(), e.getMessage(), attempt,
            attempts == Backoff.UNLIMITED ? "" : " of " + attempts, pause.toMillis()),
        () -> bundles.fetch(r.bundleKey(), r.sha256()));
  }

  /** Stops the loader thread (a load in progress is abandoned). */
  @PreDestroy
  public void close() {
    executor.shutdownNow();
  }
}
