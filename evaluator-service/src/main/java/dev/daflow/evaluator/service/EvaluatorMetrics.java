package dev.daflow.evaluator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The evaluator's meters (Prometheus names):
 *
 * <ul>
 *   <li>{@code daflow_evaluation_accuracy{model,job,domain,artifact}}: accuracy of the latest
 *       evaluated epoch ({@code artifact="checkpoint"}) or of the job's bundle ({@code
 *       artifact="bundle"}), {@code domain} {@code source} or {@code target};
 *   <li>{@code daflow_evaluation_epoch{model,job}}: the latest evaluated epoch of a job;
 *   <li>{@code daflow_model_promoted_version{model}}: the serving version of a model;
 *   <li>{@code daflow_evaluations_total{outcome}}: evaluations done, {@code ok} or {@code failed};
 *   <li>{@code daflow_evaluation_seconds}: time per evaluation (download, load, both splits).
 * </ul>
 */
public final class EvaluatorMetrics {
  private final MeterRegistry registry;
  private final Counter ok;
  private final Counter failed;
  private final Timer seconds;
  private final Map<Tags, Latest> accuracy = new ConcurrentHashMap<>();
  private final Map<Tags, AtomicInteger> epoch = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> promoted = new ConcurrentHashMap<>();

  /** A gauge's value with the epoch it belongs to, so an older epoch never replaces a newer. */
  private static final class Latest {
    volatile int epoch = Integer.MIN_VALUE;
    volatile double value = Double.NaN;
  }

  public EvaluatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.ok = Counter.builder("daflow.evaluations").tag("outcome", "ok")
        .description("Evaluations of checkpoint and job bundles, by outcome")
        .register(registry);
    this.failed = Counter.builder("daflow.evaluations").tag("outcome", "failed")
        .description("Evaluations of checkpoint and job bundles, by outcome")
        .register(registry);
    this.seconds = Timer.builder("daflow.evaluation")
        .description("Time to evaluate one bundle on both test splits")
        .register(registry);
  }

  /** An evaluation succeeded. */
  public void evaluated(StoredEvaluation e, Duration took) {
    ok.increment();
    seconds.record(took);
    String model = e.report().modelName();
    String job = e.report().jobId();
    set(model, job, "source", e.artifact(), e.epoch(), e.sourceAccuracy());
    set(model, job, "target", e.artifact(), e.epoch(), e.targetAccuracy());
    if (StoredEvaluation.CHECKPOINT.equals(e.artifact())) {
      AtomicInteger g = epoch.computeIfAbsent(Tags.of("model", model, "job", job), tags -> {
        AtomicInteger v = new AtomicInteger(-1);
        Gauge.builder("daflow.evaluation.epoch", v, AtomicInteger::get).tags(tags)
            .description("Latest evaluated epoch of a job (0-based)").register(registry);
        return v;
      });
      g.accumulateAndGet(e.epoch(), Math::max);
    }
  }

  /** An evaluation (or the promotion after it) failed. */
  public void failed() {
    failed.increment();
  }

  /** A model's serving version. */
  public void promoted(String model, int version) {
    promoted.computeIfAbsent(model, m -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder("daflow.model.promoted.version", v, AtomicInteger::get).tag("model", m)
          .description("The serving (latest promoted) version of a model").register(registry);
      return v;
    }).accumulateAndGet(version, Math::max);
  }

  private void set(String model, String job, String domain, String artifact, int ep,
      double value) {
    Latest l = accuracy.computeIfAbsent(Tags.of("model", model, "job", job, "domain", domain,
        "artifact", artifact), tags -> {
          Latest v = new Latest();
          Gauge.builder("daflow.evaluation.accuracy", v, x -> x.value).tags(tags)
              .description("Test accuracy of the latest evaluated epoch or bundle of a job")
              .register(registry);
          return v;
        });
    synchronized (l) {
      if (ep >= l.epoch) {
        l.epoch = ep;
        l.value = value;
      }
    }
  }
}
