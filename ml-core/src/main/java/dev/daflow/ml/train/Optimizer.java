package dev.daflow.ml.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates parameters in place from their gradients. Its state (momentum buffers, Adam moments)
 * is exposed by name so that checkpoints save it and a resumed run continues exactly.
 */
public interface Optimizer {

  /**
   * The solver's short name ({@code sgd}, {@code adam}): procedures key the optimiser's state in
   * checkpoints by it (see {@link OptimizerState}).
   */
  String solver();

  /**
   * Applies one update to {@code param} (in place).
   *
   * @param name parameter name, keys the state
   * @param param parameter values, updated in place
   * @param grad gradient of the mean loss; may be overwritten
   * @param lr learning rate for this step
   */
  void update(String name, INDArray param, INDArray grad, double lr);

  /** Called once per step, after all parameters are updated. */
  default void endStep() {}

  /** State arrays by name (live views: checkpoints copy them). */
  Map<String, INDArray> state();

  /** Restores state saved from {@link #state()}. */
  void restore(Map<String, INDArray> saved);
}
