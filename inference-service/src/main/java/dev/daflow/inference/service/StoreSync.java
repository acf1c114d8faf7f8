package dev.daflow.inference.service;

import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.storage.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object-store side of start-up, in the background so that a store that is down does not stop
 * the service from starting (readiness stays DOWN meanwhile): creates the buckets ({@link
 * ObjectStore#ensureBuckets}), retrying every {@value #RETRY_SECONDS} s until the store answers,
 * then loads the serving version of every model from the model records ({@link StoredModels}),
 * and reads the records again every {@code daflow.inference.rescan-interval}.
 */
@Singleton
public class StoreSync {
  private static final Logger LOG = LoggerFactory.getLogger(StoreSync.class);
  static final int RETRY_SECONDS = 5;

  private final ObjectStore store;
  private final StoredModels stored;
  private final Duration rescan;
  private final AtomicBoolean initialised = new AtomicBoolean();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "daflow-store-sync");
        t.setDaemon(true);
        return t;
      });

  @Inject
  public StoreSync(ObjectStore store, StoredModels stored, InferenceConfig config) {
    this.store = store;
    this.stored = stored;
    this.rescan = config.inference().rescanInterval();
  }

  void onStart(@Observes StartupEvent event) {
    scheduler.execute(this::initialise);
  }

  void onStop(@Observes ShutdownEvent event) {
    scheduler.shutdownNow();
  }

  /** Whether the buckets exist and the first scan was done. */
  public boolean initialised() {
    return initialised.get();
  }

  /** Reads the model records now and queues the loads they call for. */
  public void scan() {
    var loads = stored.scan();
    if (!loads.isEmpty()) {
      LOG.info("model records: {} serving versions queued for loading", loads.size());
    }
  }

  private void initialise() {
    try {
      var created = store.ensureBuckets();
      if (!created.isEmpty()) {
        LOG.info("created buckets {}", created);
      }
      scan();
      initialised.set(true);
      if (!rescan.isZero() && !rescan.isNegative()) {
        scheduler.scheduleWithFixedDelay(this::rescan, rescan.toMillis(), rescan.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.warn("object store {} not usable yet ({}); retrying in {} s",
          store.config().endpoint(), e.getMessage(), RETRY_SECONDS);
      if (!scheduler.isShutdown()) {
        scheduler.schedule(this::initialise, RETRY_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private void rescan() {
    try {
      scan();
    } catch (RuntimeException e) {
      LOG.warn("reading the model records failed ({}); next try in {}", e.getMessage(), rescan);
    }
  }
}
