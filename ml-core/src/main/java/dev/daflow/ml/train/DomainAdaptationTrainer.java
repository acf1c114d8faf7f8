package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop shared by every method: phases of epochs of steps, a listener call after each
 * step and epoch, a checkpoint after each epoch, resume from the latest checkpoint, cancellation
 * between steps. What a step does is the method's {@link Procedure}.
 *
 * <p>Everything random is a function of the config's seed: initial weights, the batch order of each
 * epoch and dropout masks. A run resumed from the checkpoint of epoch {@code k} therefore ends with
 * the same parameters as one that was never interrupted.
 *
 * <p>The next step's batch is assembled on a background thread while a step runs ({@link
 * Prefetcher}); the batches are the same as without it, so this changes speed only.
 */
public final class DomainAdaptationTrainer implements Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(DomainAdaptationTrainer.class);

  private final TrainingConfig config;
  private final Checkpoints checkpoints;
  /**
   * System property that turns prefetching off when {@code false}, for A/B measurements only
   * (e.g. {@code JAVA_TOOL_OPTIONS=-Ddaflow.trainer.prefetch=false}): batches are the same.
   */
  public static final String PREFETCH_PROPERTY = "daflow.trainer.prefetch";
  /** Whether the next step's batch is assembled on a background thread ({@link Prefetcher}). */
  private final boolean prefetch;

  /**
   * @param checkpointDir folder for epoch checkpoints (resumed from when it holds one), or null
   *     for none
   */
  public DomainAdaptationTrainer(TrainingConfig config, Path checkpointDir) {
    this(config, checkpointDir, !"false".equals(System.getProperty(PREFETCH_PROPERTY)));
  }

  /** As {@link #DomainAdaptationTrainer(TrainingConfig, Path)}; without prefetching in tests. */
  DomainAdaptationTrainer(TrainingConfig config, Path checkpointDir, boolean prefetch) {
    this.config = config;
    this.checkpoints = checkpointDir == null ? null : new Checkpoints(checkpointDir);
    this.prefetch = prefetch;
  }

  @Override
  public TrainingResult fit(DomainData data, TrainingListener listener, CancellationToken cancel)
      throws IOException {
    Architecture arch = Architectures.byName(config.network());
    checkShape(arch, data);
    Procedure procedure = procedure(config, arch, data);
    List<Phase> phases = procedure.phases();
    int totalEpochs = phases.stream().mapToInt(Phase::epochs).sum();

    // Resume from the latest checkpoint, if there is one.
    int startEpoch = 0;
    long iteration = 0;
    Optional<Path> latest = checkpoints == null ? Optional.empty() : checkpoints.latest();
    if (latest.isPresent()) {
      Checkpoints.State state = Checkpoints.load(latest.get());
      if (!state.config().equals(config)) {
        throw new IllegalStateException(latest.get() + " was written by a run with another "
            + "config (" + state.config() + "); use a fresh checkpoint folder");
      }
      restore(procedure, state.arrays());
      startEpoch = state.epoch() + 1;
      iteration = state.iteration();
      LOG.info("resuming from {} at epoch {}", latest.get(), startEpoch);
    }
    Map<String, Integer> steps = new LinkedHashMap<>();
    phases.forEach(p -> steps.put(p.name(), p.stepsPerEpoch()));
    listener.onStart(new TrainingListener.Plan(config, startEpoch, totalEpochs, steps));

    double seconds = 0;
    long pictures = 0;
    Map<String, Double> lastLosses = Map.of();
    for (int epoch = startEpoch; epoch < totalEpochs; epoch++) {
      // Find the phase of this epoch; start it if this is its first epoch.
      int phaseStart = 0;
      Phase phase = phases.get(0);
      for (Phase p : phases) {
        phase = p;
        if (epoch < phaseStart + p.epochs()) {
          break;
        }
        phaseStart += p.epochs();
      }
      int phaseEpoch = epoch - phaseStart;
      if (phaseEpoch == 0) {
        phase.begin();
      }
      phase.beginEpoch(phaseEpoch);

      // Per-epoch samplers: the batch order depends only on (seed, epoch).
      BatchSampler source = new BatchSampler(data.source().count(), config.seed(), epoch, 0);
      BatchSampler target = data.target() == null ? null
          : new BatchSampler(data.target().count(), config.seed(), epoch, 1);
      int stepsPerEpoch = phase.stepsPerEpoch();
      long phaseSteps = (long) phase.epochs() * stepsPerEpoch;
      Map<String, Double> sums = new LinkedHashMap<>();
      // Progress p in [0,1) drives the learning-rate and lambda schedules.
      long first = iteration;
      IntFunction<Phase.Step> at = k -> new Phase.Step(first + k,
          (double) (phaseEpoch * stepsPerEpoch + k) / phaseSteps, source, target);
      Phase current = phase;
      long started = System.nanoTime();
      // The next step's batch is assembled while this one runs (Prefetcher).
      try (Prefetcher batches = new Prefetcher(k -> current.prepare(at.apply(k), k % 2),
          stepsPerEpoch, prefetch)) {
        for (int step = 0; step < stepsPerEpoch; step++) {
          if (cancel.isCancelled()) {
            throw new TrainingCancelledException(epoch);
          }
          Map<String, Double> out = phase.step(at.apply(step), batches.take(step));
          iteration++;
          out.forEach((k, v) -> sums.merge(k, v, Double::sum));
          double elapsed = (System.nanoTime() - started) / 1e9;
          listener.onIteration(new TrainingListener.Iteration(epoch, step, iteration - 1,
              phase.name(), losses(out), out.getOrDefault("lambda", 0.0),
              out.getOrDefault("lr", 0.0),
              (step + 1) * (double) phase.picturesPerStep() / elapsed));
        }
      }
      double epochSeconds = (System.nanoTime() - started) / 1e9;
      seconds += epochSeconds;
      pictures += (long) stepsPerEpoch * phase.picturesPerStep();
      Map<String, Double> means = new LinkedHashMap<>();
      sums.forEach((k, v) -> means.put(k, v / stepsPerEpoch));
      lastLosses = losses(means);

      // Checkpoint the completed epoch, then tell the listener.
      Path written = null;
      if (checkpoints != null) {
        written = checkpoints.save(new Checkpoints.State(epoch, iteration, config,
            snapshot(procedure)));
      }
      Phase ended = phase;
      listener.onEpochEnd(new TrainingListener.Epoch(epoch, phase.name(), lastLosses, epochSeconds,
          stepsPerEpoch * (double) phase.picturesPerStep() / epochSeconds, written,
          () -> export(arch, procedure, ended)));
    }

    return new TrainingResult(export(arch, procedure), config, data.preprocessing(), seconds,
        seconds > 0 ? pictures / seconds : 0, lastLosses);
  }

  /**
   * The ND4J procedure of each method: the one mapping from the contract's methods to code (what
   * else is known of a method, its paper, recipe and knobs, is the contract's {@code Method}).
   */
  private static Procedure procedure(TrainingConfig config, Architecture arch, DomainData data) {
    return switch (config.method()) {
      case SOURCE_ONLY -> new SourceOnlyProcedure(config, arch, data);
      case DANN -> new DannProcedure(config, arch, data);
      case ADDA -> new AddaProcedure(config, arch, data);
      case CDAN -> new CdanProcedure(config, arch, data, false);
      case CDAN_E -> new CdanProcedure(config, arch, data, true);
      case MCC -> new MccProcedure(config, arch, data);
      case SHOT_IM -> new ShotProcedure(config, arch, data, false);
      case SHOT -> new ShotProcedure(config, arch, data, true);
      case MEAN_TEACHER -> new MeanTeacherProcedure(config, arch, data);
    };
  }

  /** The encoder and classifier as they are now, in a fresh inference graph. */
  private SameDiff export(Architecture arch, Procedure procedure) {
    SameDiff inference = Graphs.inference(arch, config.seed());
    procedure.exportTo(inference);
    return inference;
  }

  /** The model after an epoch of {@code phase} ({@link Procedure#exportAfter}). */
  private SameDiff export(Architecture arch, Procedure procedure, Phase phase) {
    SameDiff inference = Graphs.inference(arch, config.seed());
    procedure.exportAfter(phase, inference);
    return inference;
  }

  private static Map<String, Double> losses(Map<String, Double> out) {
    Map<String, Double> l = new LinkedHashMap<>(out);
    l.remove("lambda");
    l.remove("lr");
    return l;
  }

  private static void checkShape(Architecture arch, DomainData data) {
    var in = arch.input();
    if (!data.preprocessing().input().equals(in)) {
      throw new IllegalArgumentException("network " + arch.name() + " takes " + in
          + " pictures but the preprocessing produces " + data.preprocessing().input());
    }
  }

  /** Copies of every parameter and optimiser state array, keyed {@code graph:name}. */
  private static Map<String, INDArray> snapshot(Procedure p) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    p.graphs().forEach((key, sd) -> {
      for (String name : Graphs.parameters(sd)) {
        arrays.put("param:" + key + ":" + name, sd.getArrForVarName(name).dup());
      }
    });
    OptimizerState.save(p.optimizers(), arrays);
    return arrays;
  }

  private static void restore(Procedure p, Map<String, INDArray> arrays) {
    p.graphs().forEach((key, sd) -> {
      for (String name : Graphs.parameters(sd)) {
        INDArray saved = arrays.get("param:" + key + ":" + name);
        if (saved == null) {
          throw new IllegalStateException("checkpoint lacks parameter " + key + ":" + name);
        }
        sd.getArrForVarName(name).assign(saved);
      }
    });
    OptimizerState.restore(p.optimizers(), arrays);
  }
}
