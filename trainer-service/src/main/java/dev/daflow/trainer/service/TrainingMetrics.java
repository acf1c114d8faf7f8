package dev.daflow.trainer.service;

import dev.daflow.ml.NativeMemory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's Micrometer meters (Prometheus at {@code /q/metrics}). Per job, labelled {@code
 * job}, while it runs here: {@code daflow_training_loss{job,loss}}, {@code
 * daflow_training_lambda}, {@code daflow_training_learning_rate}, {@code
 * daflow_training_images_per_second}, {@code daflow_training_epoch} (epochs done), {@code
 * daflow_training_epochs} (total); removed when the job ends. Service-wide: {@code
 * daflow_training_jobs_running}, {@code daflow_training_jobs_finished_total{outcome}}, {@code
 * daflow_training_requests_rejected_total{reason}}, {@code daflow_training_duplicates_total},
 * and ND4J's off-heap memory ({@code daflow_nd4j_offheap_bytes}: JavaCPP's tracked allocations,
 * {@code daflow_nd4j_physical_bytes}: the process's resident memory as JavaCPP measures it);
 * {@code daflow_events_malformed_total{topic}} is service-common's managed consumer's. Made at
 * start ({@link Startup}), with every service-wide counter at zero, so that a fresh platform's
 * dashboards draw 0, not "no data".
 */
@Startup
@ApplicationScoped
public class TrainingMetrics {
  /** Outcomes of {@code daflow_training_jobs_finished_total}. */
  public static final List<String> OUTCOMES = List.of("completed", "failed", "cancelled");
  /** Reasons of {@code daflow_training_requests_rejected_total}. */
  public static final List<String> REJECTIONS = List.of("malformed", "invalid", "conflict");

  private final MeterRegistry registry;
  private final AtomicInteger running = new AtomicInteger();
  private final Counter duplicates;

  public TrainingMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("daflow_training_jobs_running", running, AtomicInteger::get)
        .description("Training jobs running on this replica").register(registry);
    duplicates = Counter.builder("daflow_training_duplicates")
        .description("Requests for a job that already ran or runs here; not trained again")
        .register(registry);
    for (String outcome : OUTCOMES) {
      finishedCounter(outcome);
    }
    for (String reason : REJECTIONS) {
      rejectedCounter(reason);
    }
    NativeMemory.initialise(); // JavaCPP started as ND4J starts it (a class-init deadlock)
    Gauge.builder("daflow_nd4j_offheap_bytes", NativeMemory::offHeapBytes)
        .description("Off-heap bytes JavaCPP (ND4J) has allocated and not freed")
        .register(registry);
    Gauge.builder("daflow_nd4j_physical_bytes", NativeMemory::physicalBytes)
        .description("Physical memory of the process as JavaCPP measures it (resident set)")
        .register(registry);
  }

  private Counter finishedCounter(String outcome) {
    return Counter.builder("daflow_training_jobs_finished")
        .description("Training jobs that reached a terminal state on this replica")
        .tag("outcome", outcome).register(registry);
  }

  /** A job reached a terminal state: {@code completed}, {@code failed} or {@code cancelled}. */
  public void finished(String outcome) {
    finishedCounter(outcome).increment();
  }

  /**
   * A request was refused: {@code malformed} (unreadable record), {@code invalid} (bad values,
   * unknown dataset or network) or {@code conflict} (the job exists with another request).
   */
  public void rejected(String reason) {
    rejectedCounter(reason).increment();
  }

  private Counter rejectedCounter(String reason) {
    return Counter.builder("daflow_training_requests_rejected")
        .description("Training requests answered with training.rejected")
        .tag("reason", reason).register(registry);
  }

  /** A request for a job that already ran (or runs here) was dropped. */
  public void duplicate() {
    duplicates.increment();
  }

  /** Starts the gauges of a job running here; close the result when it ends. */
  public JobMeters job(String jobId, LiveProgress live) {
    return new JobMeters(jobId, live);
  }

  /** The gauges of one job, labelled {@code job}; a gauge per loss name as they appear. */
  public final class JobMeters implements AutoCloseable {
    private final String jobId;
    private final LiveProgress live;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Set<String> losses = ConcurrentHashMap.newKeySet();

    private JobMeters(String jobId, LiveProgress live) {
      this.jobId = jobId;
      this.live = live;
      running.incrementAndGet();
      gauge("daflow_training_lambda", "Gradient-reversal factor of the last step",
          p -> p.snapshot().lambda());
      gauge("daflow_training_learning_rate", "Learning rate of the last step",
          p -> p.snapshot().learningRate());
      gauge("daflow_training_images_per_second",
          "Source+target pictures per second over the current epoch",
          p -> p.snapshot().imagesPerSecond());
      gauge("daflow_training_epoch", "Epochs finished", p -> p.snapshot().epochsDone());
      gauge("daflow_training_epochs", "Epochs over all phases", p -> p.snapshot().totalEpochs());
    }

    private void gauge(String name, String description, ToDoubleFunction<LiveProgress> f) {
      meters.add(Gauge.builder(name, live, f).description(description).tag("job", jobId)
          .strongReference(true).register(registry));
    }

    /** Registers a loss gauge for each loss name not seen yet. */
    void losses(Map<String, Double> values) {
      for (String name : values.keySet()) {
        if (losses.add(name)) {
          meters.add(Gauge.builder("daflow_training_loss", live, p -> p.loss(name))
              .description("Loss of the last step, by loss name").tag("job", jobId)
              .tag("loss", name).strongReference(true).register(registry));
        }
      }
    }

    /** Removes the job's gauges. */
    @Override
    public void close() {
      meters.forEach(registry::remove);
      meters.clear();
      running.decrementAndGet();
    }
  }
}
