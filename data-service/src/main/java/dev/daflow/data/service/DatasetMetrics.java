package dev.daflow.data.service;

import dev.daflow.platform.datasets.DatasetManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's Micrometer meters (Prometheus names):
 *
 * <ul>
 *   <li>{@code daflow_dataset_pictures{dataset,split}}: pictures of each stored split;
 *   <li>{@code daflow_dataset_bytes{dataset}}: size of a stored dataset's shards;
 *   <li>{@code daflow_dataset_ingestions_total{outcome}}: ingestion requests by outcome, {@code
 *       ingested}, {@code noop} (already stored) or {@code rejected};
 *   <li>{@code daflow_dataset_ingest_seconds{outcome}}: time of the ingestions that read a
 *       dataset ({@code ingested} or {@code rejected}).
 * </ul>
 *
 * Gauges follow the stored manifests: set on ingestion, removed on deletion, all refreshed from
 * the store at start.
 */
@Singleton
public class DatasetMetrics {
  /** How an ingestion request ended. */
  public enum Outcome { INGESTED, NOOP, REJECTED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Map<Outcome, Counter> counters = new ConcurrentHashMap<>();
  private final Map<Outcome, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicLong>> pictures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
  private final Map<String, Set<Gauge>> gauges = new ConcurrentHashMap<>();

  public DatasetMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      counters.put(o, Counter.builder("daflow.dataset.ingestions")
          .description("Dataset ingestion requests by outcome")
          .tag("outcome", o.tag()).register(registry));
    }
    for (Outcome o : new Outcome[] {Outcome.INGESTED, Outcome.REJECTED}) {
      timers.put(o, Timer.builder("daflow.dataset.ingest")
          .description("Time to fetch, decode and store a dataset")
          .tag("outcome", o.tag()).register(registry));
    }
  }

  /** Counts one ingestion request. */
  public void count(Outcome outcome) {
    counters.get(outcome).increment();
  }

  /** Records how long an ingestion that read a dataset took. */
  public void time(Outcome outcome, long nanos) {
    Timer t = timers.get(outcome);
    if (t != null) {
      t.record(java.time.Duration.ofNanos(nanos));
    }
  }

  /** Sets the gauges of a stored dataset. */
  public synchronized void stored(DatasetManifest m) {
    String dataset = m.dataset();
    Map<String, AtomicLong> splits = pictures.computeIfAbsent(dataset,
        d -> new ConcurrentHashMap<>());
    long total = 0;
    int size = m.shape().channels() * m.shape().height() * m.shape().width();
    for (var e : m.splits().entrySet()) {
      AtomicLong holder = splits.computeIfAbsent(e.getKey(), split -> {
        AtomicLong h = new AtomicLong();
        gauge(dataset, Gauge.builder("daflow.dataset.pictures", h, AtomicLong::get)
            .description("Pictures in a stored dataset split")
            .tags("dataset", dataset, "split", split).register(registry));
        return h;
      });
      holder.set(e.getValue().count());
      // The canonical shards: a 24-byte header, an int label and the pixels per picture.
      total += 24L * e.getValue().shards().size() + (4L + size) * e.getValue().count();
    }
    bytes.computeIfAbsent(dataset, d -> {
      AtomicLong h = new AtomicLong();
      gauge(dataset, Gauge.builder("daflow.dataset.bytes", h, AtomicLong::get)
          .description("Bytes of a stored dataset's canonical shards").baseUnit("bytes")
          .tags("dataset", dataset).register(registry));
      return h;
    }).set(total);
  }

  /** Removes the gauges of a deleted dataset. */
  public synchronized void removed(String dataset) {
    for (Gauge g : gauges.getOrDefault(dataset, Set.of())) {
      registry.remove(g);
    }
    gauges.remove(dataset);
    pictures.remove(dataset);
    bytes.remove(dataset);
  }

  /** Sets the gauges to exactly the datasets stored. */
  public synchronized void refresh(Collection<DatasetManifest> stored) {
    Set<String> names = new HashSet<>();
    for (DatasetManifest m : stored) {
      names.add(m.dataset());
      stored(m);
    }
    for (String d : Set.copyOf(gauges.keySet())) {
      if (!names.contains(d)) {
        removed(d);
      }
    }
  }

  private void gauge(String dataset, Gauge g) {
    gauges.computeIfAbsent(dataset, d -> ConcurrentHashMap.newKeySet()).add(g);
  }
}
