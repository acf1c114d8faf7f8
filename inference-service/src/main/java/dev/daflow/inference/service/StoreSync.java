package dev.daflow.inference.service;

import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.service.common.startup.BackgroundSetup;
import dev.daflow.service.common.startup.SetupSteps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object-store side of start-up, in the background so that a store that is down does not stop
 * the service from starting (readiness stays DOWN meanwhile): service-common's set-up ({@link
 * SetupSteps}, retried with the service's back-off) creates the buckets, then loads the serving
 * version of every model from the model records ({@link StoredModels}); after that the records
 * are read again every {@code daflow.inference.rescan-interval}.
 */
@Singleton
public class StoreSync {
  private static final Logger LOG = LoggerFactory.getLogger(StoreSync.class);

  private final StoredModels stored;
  private final Duration rescan;
  private final BackgroundSetup setup;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "daflow-store-sync");
        t.setDaemon(true);
        return t;
      });

  @Inject
  public StoreSync(SetupSteps steps, StoredModels stored, InferenceConfig config) {
    this.stored = stored;
    this.rescan = config.inference().rescanInterval();
    this.setup = steps.background("model-records", List.of(steps.buckets(),
        BackgroundSetup.Step.of("read the model records", this::firstScan)));
  }

  void onStart(@Observes StartupEvent event) {
    setup.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    setup.close();
    scheduler.shutdownNow();
  }

  /** Whether the buckets exist and the first scan was done. */
  public boolean initialised() {
    return setup.done();
  }

  /** Reads the model records now and queues the loads they call for. */
  public void scan() {
    var loads = stored.scan();
    if (!loads.isEmpty()) {
      LOG.info("model records: {} serving versions queued for loading", loads.size());
    }
  }

  /** The first scan; then the rescans, if any. */
  private void firstScan() {
    scan();
    if (!rescan.isZero() && !rescan.isNegative() && !scheduler.isShutdown()) {
      scheduler.scheduleWithFixedDelay(this::rescan, rescan.toMillis(), rescan.toMillis(),
          TimeUnit.MILLISECONDS);
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
