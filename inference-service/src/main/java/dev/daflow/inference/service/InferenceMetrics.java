package dev.daflow.inference.service;

import dev.daflow.ml.NativeMemory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's Micrometer meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code daflow_inference_seconds{model,endpoint}}: latency of answered (200) requests, a
 *       timer with a percentile histogram, so p50/p95/p99 come from {@code histogram_quantile};
 *   <li>{@code daflow_inference_requests_total{model,endpoint,status}}: every request by HTTP
 *       status;
 *   <li>{@code daflow_inference_pictures_total{model}}: pictures classified;
 *   <li>{@code daflow_inference_batch_pictures{model}} and {@code
 *       daflow_inference_batch_requests{model}}: pictures and requests per forward pass
 *       (summaries with buckets 1, 2, 4 ... 256), {@code
 *       daflow_inference_batch_wait_seconds{model}}: how long each request waited in its batch
 *       for the forward pass to start (a timer with a percentile histogram), see {@link
 *       DynamicBatcher};
 *   <li>{@code daflow_inference_model_version{model}}: the served version;
 *   <li>{@code daflow_inference_model_loads_total{outcome}}: loads {@code loaded}, {@code skipped}
 *       (not newer than the served one) or {@code failed};
 *   <li>{@code daflow_nd4j_offheap_bytes}: JavaCPP's off-heap bytes (ND4J arrays).
 * </ul>
 *
 * The {@code model} tag is a model name only for promoted models; requests for other names are
 * counted under {@value #UNKNOWN_MODEL}, so clients cannot grow the label set. The load counters
 * are registered at zero when the service starts, so a fresh replica's dashboard draws 0.
 */
@Singleton
public class InferenceMetrics implements DynamicBatcher.Listener {
  /** The {@code model} tag of requests for names that were never promoted. */
  public static final String UNKNOWN_MODEL = "_unknown";
  /** Outcomes of {@code daflow_inference_model_loads_total}. */
  public static final List<String> LOAD_OUTCOMES = List.of("loaded", "skipped", "failed");

  private final MeterRegistry registry;
  private final ModelRegistry models;
  private final Set<String> versionGauges = ConcurrentHashMap.newKeySet();

  @Inject
  public InferenceMetrics(MeterRegistry registry, ModelRegistry models) {
    this.registry = registry;
    this.models = models;
    NativeMemory.initialise(); // JavaCPP started as ND4J starts it (a class-init deadlock)
    Gauge.builder("daflow.nd4j.offheap.bytes", NativeMemory::offHeapBytes)
        .description("Off-heap bytes JavaCPP has allocated (ND4J arrays)")
        .register(registry);
    LOAD_OUTCOMES.forEach(this::loadCounter);
  }

  /** The {@code model} tag for a requested name. */
  public String modelTag(String name) {
    return name != null && models.isKnown(name) ? name : UNKNOWN_MODEL;
  }

  /** One answered request. */
  public void request(String model, String endpoint, int status, Duration elapsed,
      int pictures) {
    String tag = modelTag(model);
    Counter.builder("daflow.inference.requests")
        .description("Inference requests by HTTP status")
        .tags("model", tag, "endpoint", endpoint, "status", Integer.toString(status))
        .register(registry).increment();
    if (status == 200) {
      Timer.builder("daflow.inference")
          .description("Latency of answered inference requests")
          .tags("model", tag, "endpoint", endpoint)
          .publishPercentileHistogram()
          .register(registry).record(elapsed);
      Counter.builder("daflow.inference.pictures")
          .description("Pictures classified")
          .tags("model", tag)
          .register(registry).increment(pictures);
    }
  }

  /** One forward pass of {@link DynamicBatcher}. */
  @Override
  public void batch(String model, int requests, int pictures, Duration[] waits) {
    String tag = modelTag(model);
    batchSummary("daflow.inference.batch.pictures", "Pictures per forward pass", tag)
        .record(pictures);
    batchSummary("daflow.inference.batch.requests", "Requests per forward pass", tag)
        .record(requests);
    Timer wait = Timer.builder("daflow.inference.batch.wait")
        .description("Time a request waited in its batch for the forward pass to start")
        .tags("model", tag)
        .publishPercentileHistogram()
        .register(registry);
    for (Duration d : waits) {
      wait.record(d);
    }
  }

  private DistributionSummary batchSummary(String name, String description, String tag) {
    return DistributionSummary.builder(name)
        .description(description)
        .tags("model", tag)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
        .register(registry);
  }

  /** One model load, {@code loaded}, {@code skipped} or {@code failed}. */
  public void load(String outcome) {
    loadCounter(outcome).increment();
  }

  private Counter loadCounter(String outcome) {
    return Counter.builder("daflow.inference.model.loads")
        .description("Model bundle loads by outcome")
        .tags("outcome", outcome)
        .register(registry);
  }

  /** Starts reporting the served version of {@code name} (idempotent). */
  public void servingVersion(String name) {
    if (!versionGauges.add(name)) {
      return;
    }
    Gauge.builder("daflow.inference.model.version", models, m -> m.version(name))
        .description("The model version this replica serves (0: none)")
        .tags("model", name)
        .register(registry);
  }

  /** The registry, for binders (Kafka client metrics). */
  public MeterRegistry registry() {
    return registry;
  }
}
