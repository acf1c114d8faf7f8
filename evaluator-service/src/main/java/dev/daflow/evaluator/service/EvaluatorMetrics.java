package dev.daflow.evaluator.service;

import dev.daflow.ml.eval.HeldOutComparison;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 *   <li>{@code daflow_evaluation_validator{model,job,validator,artifact}}: each label-free
 *       validator ({@code model.evaluated.validators}: {@code im}, {@code snd}, {@code
 *       collapsed}...) of the latest evaluated epoch or of the job's bundle;
 *   <li>{@code daflow_evaluation_epoch{model,job}}: the latest evaluated epoch of a job;
 *   <li>{@code daflow_model_promoted_version{model}}: the serving version of a model;
 *   <li>{@code daflow_promotions_declined_total{model,reason}}: promotions declined ({@code
 *       model.promotion.declined}), by reason code;
 *   <li>{@code daflow_evaluations_total{outcome}}: evaluations done, {@code ok} or {@code failed};
 *   <li>{@code daflow_evaluation_seconds}: time per evaluation (download, load, both splits).
 * </ul>
 *
 * <p>The per-job gauges do not pile up: a job's checkpoint series ({@code artifact="checkpoint"}
 * and its epoch) are removed once its bundle is evaluated, which is final (the bundle series
 * then stand for the job), and the gauges of at most {@link #RETAINED_JOBS} jobs are kept, those
 * evaluated least recently removed first (jobs that failed or were cancelled never get a bundle
 * evaluation). Prometheus keeps what it scraped, so the Evaluation dashboard still draws them over
 * their time.
 */
@Singleton
public class EvaluatorMetrics {
  /** How many jobs keep their gauges by default. */
  public static final int RETAINED_JOBS = 20;

  private final MeterRegistry registry;
  private final int retainedJobs;
  private final Counter ok;
  private final Counter failed;
  private final Timer seconds;
  private final Map<String, AtomicInteger> promoted = new ConcurrentHashMap<>();
  /** In access order: the first is the job evaluated least recently. Guarded by {@code this}. */
  private final LinkedHashMap<JobKey, JobGauges> jobs = new LinkedHashMap<>(16, 0.75f, true);

  /** Meters for {@code registry}, keeping the gauges of {@link #RETAINED_JOBS} jobs. */
  @Inject
  public EvaluatorMetrics(MeterRegistry registry) {
    this(registry, RETAINED_JOBS);
  }

  /**
   * Meters for {@code registry}.
   *
   * @param retainedJobs how many jobs keep their gauges (at least 1)
   */
  public EvaluatorMetrics(MeterRegistry registry, int retainedJobs) {
    if (retainedJobs < 1) {
      throw new IllegalArgumentException("retainedJobs must be >= 1, got " + retainedJobs);
    }
    this.registry = registry;
    this.retainedJobs = retainedJobs;
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

  /**
   * An evaluation succeeded. The gauges are set before the counter and the timer count it, so a
   * reader that sees the count sees the gauges.
   */
  public void evaluated(StoredEvaluation e, Duration took) {
    reported(e);
    seconds.record(took);
    ok.increment();
  }

  /**
   * An evaluation was reported without being run (a job's bundle with its last epoch's weights):
   * its gauges are set, the evaluations counter and timer do not count it.
   */
  public void reported(StoredEvaluation e) {
    synchronized (this) {
      JobGauges job = jobs.computeIfAbsent(
          new JobKey(e.report().modelName(), e.report().jobId()), JobGauges::new);
      job.record(e);
      trim();
    }
  }

  /** An evaluation (or the promotion after it) failed. */
  public void failed() {
    failed.increment();
  }

  /** A job's promotion was declined, for {@code reason} ({@code model.promotion.declined}). */
  public void declined(String model, String reason) {
    Counter.builder("daflow.promotions.declined").tag("model", model).tag("reason", reason)
        .description("Promotions declined, by reason code").register(registry).increment();
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

  /** Removes the gauges of the jobs evaluated least recently, beyond {@link #retainedJobs}. */
  private void trim() {
    Iterator<JobGauges> eldest = jobs.values().iterator();
    while (jobs.size() > retainedJobs && eldest.hasNext()) {
      eldest.next().removeAll();
      eldest.remove();
    }
  }

  private record JobKey(String model, String job) {}

  /** One series of {@code daflow_evaluation_accuracy} of a job. */
  private record Series(String domain, String artifact) {}

  /** One series of {@code daflow_evaluation_validator} of a job. */
  private record ValidatorSeries(String validator, String artifact) {}

  /** A gauge's value with the epoch it belongs to, so an older epoch never replaces a newer. */
  private static final class Latest {
    private volatile int epoch = Integer.MIN_VALUE;
    private volatile double value = Double.NaN;

    synchronized void offer(int ep, double v) {
      if (ep >= epoch) {
        epoch = ep;
        value = v;
      }
    }
  }

  /** The gauges of one job. Used under the lock of the enclosing metrics. */
  private final class JobGauges {
    private final Tags tags;
    private final Map<Series, Latest> accuracy = new HashMap<>();
    private final Map<ValidatorSeries, Latest> validators = new HashMap<>();
    private final Map<String, List<Meter>> meters = new HashMap<>();
    private AtomicInteger epoch;
    private boolean bundleEvaluated;

    JobGauges(JobKey key) {
      this.tags = Tags.of("model", key.model(), "job", key.job());
    }

    void record(StoredEvaluation e) {
      boolean checkpoint = StoredEvaluation.CHECKPOINT.equals(e.artifact());
      if (checkpoint && bundleEvaluated) {
        return; // a redelivered checkpoint after the final evaluation: its series stay removed
      }
      set(new Series("source", e.artifact()), e.epoch(), e.sourceAccuracy());
      set(new Series("target", e.artifact()), e.epoch(), e.targetAccuracy());
      e.validators().forEach((name, value) -> {
        if (!name.equals(HeldOutComparison.PICTURES)) { // a count, not a measure to plot
          validator(new ValidatorSeries(name, e.artifact()), e.epoch(), value);
        }
      });
      if (checkpoint) {
        epochGauge().accumulateAndGet(e.epoch(), Math::max);
      } else {
        bundleEvaluated = true;
        remove(StoredEvaluation.CHECKPOINT);
        epoch = null;
      }
    }

    private void set(Series series, int ep, double value) {
      accuracy.computeIfAbsent(series, s -> {
        Latest v = new Latest();
        register(s.artifact(), Gauge.builder("daflow.evaluation.accuracy", v, x -> x.value)
            .tags(tags.and("domain", s.domain(), "artifact", s.artifact()))
            .description("Test accuracy of the latest evaluated epoch or bundle of a job")
            .register(registry));
        return v;
      }).offer(ep, value);
    }

    private void validator(ValidatorSeries series, int ep, double value) {
      validators.computeIfAbsent(series, s -> {
        Latest v = new Latest();
        register(s.artifact(), Gauge.builder("daflow.evaluation.validator", v, x -> x.value)
            .tags(tags.and("validator", s.validator(), "artifact", s.artifact()))
            .description("A label-free validator of the latest evaluated epoch or bundle of a "
                + "job (model.evaluated.validators)")
            .register(registry));
        return v;
      }).offer(ep, value);
    }

    private AtomicInteger epochGauge() {
      if (epoch == null) {
        AtomicInteger v = new AtomicInteger(-1);
        Gauge gauge = Gauge.builder("daflow.evaluation.epoch", v, AtomicInteger::get).tags(tags)
            .description("Latest evaluated epoch of a job (0-based)").register(registry);
        register(StoredEvaluation.CHECKPOINT, gauge);
        epoch = v;
      }
      return epoch;
    }

    private void register(String artifact, Meter meter) {
      meters.computeIfAbsent(artifact, a -> new ArrayList<>()).add(meter);
    }

    /** Removes the series of one artifact. */
    private void remove(String artifact) {
      meters.getOrDefault(artifact, List.of()).forEach(registry::remove);
      meters.remove(artifact);
      accuracy.keySet().removeIf(s -> s.artifact().equals(artifact));
      validators.keySet().removeIf(s -> s.artifact().equals(artifact));
    }

    void removeAll() {
      List.copyOf(meters.keySet()).forEach(this::remove);
      epoch = null;
    }
  }
}
