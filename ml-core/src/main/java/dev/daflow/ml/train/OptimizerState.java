package dev.daflow.ml.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a checkpoint holds optimiser state: one array per state entry, named {@code
 * opt:<key>:<entry>}, where the key is the one a {@link Procedure} gives the optimiser. Source-only
 * and DANN key theirs by its solver ({@link #key}: {@code sgd} or {@code adam}, plus {@value
 * #DOMAIN_SUFFIX} for DANN's domain head when it learns at its own rate); ADDA by role.
 *
 * <p>Checkpoints written before the key named the solver kept an Adam optimiser's state under
 * {@code sgd} (and {@code sgd-domain}) too: {@link #restore} reads an {@code adam} key's state
 * from there when the checkpoint has none under its own key, so those runs stay resumable.
 */
final class OptimizerState {
  /** Suffix of the key of DANN's domain-head optimiser. */
  static final String DOMAIN_SUFFIX = "-domain";

  private static final String PREFIX = "opt:";
  /** The key every source-only and DANN optimiser had before keys named the solver. */
  private static final String LEGACY_KEY = SgdMomentum.SOLVER;

  private OptimizerState() {}

  /** The key of a source-only or DANN optimiser: its solver's name. */
  static String key(Optimizer optimizer) {
    return optimizer.solver();
  }

  /** Copies every optimiser's state into {@code arrays}, named {@code opt:<key>:<entry>}. */
  static void save(Map<String, Optimizer> optimizers, Map<String, INDArray> arrays) {
    optimizers.forEach((key, opt) ->
        opt.state().forEach((name, a) -> arrays.put(PREFIX + key + ":" + name, a.dup())));
  }

  /** Restores every optimiser from {@code arrays}, reading the former key where needed. */
  static void restore(Map<String, Optimizer> optimizers, Map<String, INDArray> arrays) {
    optimizers.forEach((key, opt) -> {
      Map<String, INDArray> state = entries(arrays, key);
      String legacy = legacyKey(key);
      if (state.isEmpty() && !legacy.equals(key)) {
        state = entries(arrays, legacy);
      }
      opt.restore(state);
    });
  }

  /**
   * The key an optimiser keyed {@code key} had in older checkpoints: {@code adam} was {@code sgd},
   * {@code adam-domain} was {@code sgd-domain}; any other key is unchanged.
   */
  static String legacyKey(String key) {
    if (key.equals(Adam.SOLVER) || key.equals(Adam.SOLVER + DOMAIN_SUFFIX)) {
      return LEGACY_KEY + key.substring(Adam.SOLVER.length());
    }
    return key;
  }

  /** The entries saved under {@code key}, by entry name. */
  private static Map<String, INDArray> entries(Map<String, INDArray> arrays, String key) {
    String prefix = PREFIX + key + ":";
    Map<String, INDArray> state = new LinkedHashMap<>();
    arrays.forEach((name, a) -> {
      if (name.startsWith(prefix)) {
        state.put(name.substring(prefix.length()), a);
      }
    });
    return state;
  }
}
