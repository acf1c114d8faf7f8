package dev.daflow.ml.eval;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * How a model is chosen among candidates by a label-free score: the one rule of evaluator-service's
 * promotion policies and of the benchmark's validator table (which must choose exactly as the
 * platform does). A collapsed candidate ({@link Collapse}) wins only when every candidate
 * collapsed; otherwise the highest score wins, a NaN score never over a number, and ties go to the
 * candidate later in the list (callers list epochs in order, so the longer trained wins).
 */
public final class Selection {
  private Selection() {}

  /**
   * The best of {@code candidates}, in the order that breaks ties (later wins).
   *
   * @param collapsed whether a candidate collapsed
   * @param score higher is better; NaN is worst
   * @throws IllegalArgumentException when there is no candidate
   */
  public static <C> C best(List<C> candidates, Predicate<C> collapsed,
      ToDoubleFunction<C> score) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidates");
    }
    C best = null;
    for (C c : candidates) {
      if (best == null) {
        best = c;
        continue;
      }
      boolean down = collapsed.test(c);
      if (down != collapsed.test(best)) {
        if (!down) {
          best = c;
        }
        continue;
      }
      double a = score.applyAsDouble(c);
      double b = score.applyAsDouble(best);
      a = Double.isNaN(a) ? Double.NEGATIVE_INFINITY : a;
      b = Double.isNaN(b) ? Double.NEGATIVE_INFINITY : b;
      if (a >= b) {
        best = c;
      }
    }
    return best;
  }
}
