package dev.daflow.ml.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A stretch of epochs with one kind of step (e.g. ADDA's pretraining, then its adaptation). */
interface Phase {

  /** Short name for logs and listeners. */
  String name();

  /** Epochs this phase lasts. */
  int epochs();

  /** Optimisation steps per epoch. */
  int stepsPerEpoch();

  /** Source+target pictures one step consumes (for images/s). */
  int picturesPerStep();

  /** Called once when the phase starts fresh (not when resuming inside it). */
  default void begin() {}

  /**
   * Called before every epoch of this phase, also the first one after a resume, with the
   * parameters as they are at that epoch's start. Whatever it derives must depend on those
   * parameters only, so that a resumed run stays identical to an uninterrupted one.
   *
   * @param phaseEpoch 0-based epoch within this phase
   */
  default void beginEpoch(int phaseEpoch) {}

  /**
   * Assembles the inputs of step {@code s} (sampling, byte-to-float, augmentation, labels, dropout
   * masks) into buffer set {@code slot} (0 or 1). The trainer calls it on its prefetch thread for
   * step {@code i + 1} while step {@code i} runs ({@link Prefetcher}), in step order, so it may
   * touch only the step's samplers and the buffers of {@code slot}: never a graph, a parameter or
   * anything {@link #step(Step, Batch)} writes. What it returns must be a function of the seed,
   * the step and the samplers' state alone, so batches do not depend on the thread.
   */
  Batch prepare(Step s, int slot);

  /**
   * One optimisation step on the inputs {@link #prepare} assembled for {@code s}.
   *
   * @return loss values by name, plus {@code lambda} and {@code lr}
   */
  Map<String, Double> step(Step s, Batch batch);

  /** One step with its inputs assembled here, in buffer set 0 (tests). */
  default Map<String, Double> step(Step s) {
    return step(s, prepare(s, 0));
  }

  /**
   * One step's inputs.
   *
   * @param labels the source rows' classes, or whatever labels the phase samples (may be empty)
   * @param placeholders the graph's inputs so far; the step may add its own
   */
  record Batch(int[] labels, Map<String, INDArray> placeholders) {}

  /**
   * Where a step is.
   *
   * @param iteration 0-based step over the whole run
   * @param progress training progress p in [0, 1) within this phase
   * @param source this epoch's source-domain sampler
   * @param target this epoch's target-domain sampler (null for source-only training)
   */
  record Step(long iteration, double progress, BatchSampler source, BatchSampler target) {}
}
