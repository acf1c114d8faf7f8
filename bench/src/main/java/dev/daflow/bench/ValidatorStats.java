package dev.daflow.bench;

import dev.daflow.ml.eval.HeldOutComparison;
import dev.daflow.ml.eval.Selection;
import dev.daflow.ml.eval.Validator;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How well each label-free validator tracks the true target accuracy over measured checkpoints:
 * Spearman rank correlation, and the accuracy lost against the oracle (the checkpoint with the
 * best target test accuracy) when a model is chosen by the validator. Pure functions.
 *
 * <p>Choosing follows evaluator-service's promotion policies ({@code PromotionPolicy}): the
 * candidate the validator rates best (sign-flipped for validators where lower is better); a
 * missing value never wins; a collapsed model ({@code validators.collapsed}) is chosen only when
 * every candidate collapsed; ties go to the later epoch.
 */
final class ValidatorStats {
  private ValidatorStats() {}

  /**
   * Spearman's rank correlation of {@code x} and {@code y}, tied values getting their mean rank
   * (Apache Commons Math's {@link SpearmansCorrelation}); NaN when fewer than 3 pairs or when
   * either side is constant.
   */
  static double spearman(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x has " + x.length + " values, y " + y.length);
    }
    if (x.length < 3 || constant(x) || constant(y)) {
      return Double.NaN;
    }
    return new SpearmansCorrelation().correlation(x, y);
  }

  private static boolean constant(double[] v) {
    return Arrays.stream(v).allMatch(d -> d == v[0]);
  }

  /** The validator's value oriented so that higher is better; NaN stays NaN. */
  static double score(Checkpoint c, Validator v) {
    double x = c.value(v);
    return v.higherIsBetter() ? x : -x;
  }

  /**
   * Spearman's rho between {@code v}'s oriented score and the target accuracy over the
   * checkpoints that have a value of {@code v} (positive: the validator ranks models as their
   * accuracy does).
   */
  static double rho(List<Checkpoint> checkpoints, Validator v) {
    List<Checkpoint> with = measured(checkpoints, v);
    double[] s = with.stream().mapToDouble(c -> score(c, v)).toArray();
    double[] a = with.stream().mapToDouble(Checkpoint::targetAcc).toArray();
    return spearman(s, a);
  }

  /** The checkpoints with a finite value of {@code v} and a target accuracy. */
  static List<Checkpoint> measured(List<Checkpoint> checkpoints, Validator v) {
    return checkpoints.stream().filter(c -> Double.isFinite(c.value(v))
        && Double.isFinite(c.targetAcc())).toList();
  }

  /**
   * The checkpoint the promotion policy of {@code v} would choose among {@code candidates} (in
   * epoch order), as described above.
   */
  static Checkpoint choose(List<Checkpoint> candidates, Validator v) {
    return best(candidates, c -> score(c, v));
  }

  /** The best candidate by {@code score} under the policies' rules (collapse, NaN, ties). */
  static Checkpoint best(List<Checkpoint> candidates, ToDoubleFunction<Checkpoint> score) {
    return Selection.best(candidates, Checkpoint::collapsed, score);
  }

  /** The highest target accuracy among {@code checkpoints}: what an oracle would pick. */
  static double oracle(List<Checkpoint> checkpoints) {
    return checkpoints.stream().mapToDouble(Checkpoint::targetAcc).max().orElse(Double.NaN);
  }

  /**
   * Accuracy lost by choosing within each run: for every run (its checkpoints in epoch order),
   * the oracle's accuracy minus that of the checkpoint {@code chooser} picks.
   */
  static double[] withinRunLosses(List<List<Checkpoint>> runs,
      java.util.function.Function<List<Checkpoint>, Checkpoint> chooser) {
    return runs.stream().mapToDouble(r -> oracle(r) - chooser.apply(r).targetAcc()).toArray();
  }

  /**
   * Accuracy lost by choosing across runs (e.g. the methods of one pair and seed), as the
   * evaluator does across jobs: within each run the checkpoint {@code v} rates best, then among
   * those the one it rates best; against the best target accuracy of any checkpoint of any run.
   */
  static double acrossRunsLoss(List<List<Checkpoint>> runs, Validator v) {
    double oracle = runs.stream().mapToDouble(ValidatorStats::oracle).max()
        .orElse(Double.NaN);
    return oracle - chooseAcrossRuns(runs, v).targetAcc();
  }

  /**
   * The checkpoint the policy of {@code v} promotes across runs, as the evaluator does across
   * jobs (the runs in job order): within each run the checkpoint {@code v} rates best (a tie: the
   * later epoch), then among those the one it rates best, where a tie keeps the earlier run's (a
   * challenger replaces the serving version only when strictly better, {@link
   * Validator#better}); by held-out source accuracy as {@link HeldOutComparison} says.
   */
  static Checkpoint chooseAcrossRuns(List<List<Checkpoint>> runs, Validator v) {
    List<Checkpoint> picks = new java.util.ArrayList<>(runs.stream().map(r -> choose(r, v))
        .toList());
    if (v == Validator.SOURCE_VAL_ACCURACY) {
      // As the evaluator compares a job's pick with the serving version: a collapsed model never
      // replaces a sound one; otherwise HeldOutComparison (a difference within the sampling
      // error of the held-out accuracy is a tie that the lower DEV decides).
      Checkpoint serving = picks.get(0);
      for (Checkpoint c : picks.subList(1, picks.size())) {
        boolean wins = c.collapsed() != serving.collapsed() ? !c.collapsed()
            : HeldOutComparison.compare(c.validators(), serving.validators()).challengerWins();
        if (wins) {
          serving = c;
        }
      }
      return serving;
    }
    // Selection.best lets the later of two equals win: over the runs in reverse, the earlier run.
    java.util.Collections.reverse(picks);
    return choose(picks, v);
  }

  /** Mean of the finite values; NaN when there are none. */
  static double mean(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  /** Largest finite value; NaN when there are none. */
  static double max(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).max().orElse(Double.NaN);
  }
}
