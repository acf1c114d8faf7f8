package dev.daflow.bench;

import dev.daflow.bench.Benchmark.Run;
import dev.daflow.ml.eval.Validator;
import java.util.Map;

/**
 * One epoch's model of one benchmark run, measured as evaluator-service measures a bundle: every
 * label-free validator ({@code validators}, keys of {@link Validator} and the collapse measures),
 * and the target test accuracy, which only the report reads.
 *
 * @param run the run
 * @param epoch 1-based epoch over all the run's phases
 * @param phase the phase the epoch belongs to ({@code train}, {@code pretrain}, {@code adapt})
 * @param targetAcc accuracy on the target's labelled test split (NaN for a failed run)
 * @param validators validator values by key; a validator that could not be computed is absent
 * @param failure null, or what stopped the run (then {@code epoch} is 0 and nothing is measured)
 */
record Checkpoint(Run run, int epoch, String phase, double targetAcc,
    Map<String, Double> validators, String failure) {
  Checkpoint {
    // In the order measured (the validators', then the collapse measures), unmodifiable.
    validators = validators == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validators));
  }

  /** The value of {@code v}, NaN when it was not computed. */
  double value(Validator v) {
    Double x = validators.get(v.key());
    return x == null ? Double.NaN : x;
  }

  /** Whether the evaluator's collapse guard marks this model as collapsed. */
  boolean collapsed() {
    Double c = validators.get(Validator.COLLAPSED);
    return c != null && c >= 0.5;
  }

  /** {@code source -> target}. */
  String pair() {
    return run.source() + " -> " + run.target();
  }
}
