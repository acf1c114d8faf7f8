package dev.daflow.ml.eval;

import java.util.Locale;
import java.util.Map;

/**
 * Whether a challenger beats the serving model by held-out source accuracy, the default
 * promotion policy's validator, across jobs: the one rule of evaluator-service and of the
 * benchmark's promotion pages.
 *
 * <p>Held-out accuracy is a proportion measured on a sample: on USPS's 729 held-out pictures two
 * models at 99.6% and 99.7% differ by one picture, well inside the sampling error, and every
 * cross-method pick of the USPS -> MNIST benchmark rows was decided by 1 to 4 pictures. So a
 * difference counts only when it exceeds {@value #Z} standard errors of the difference of two
 * proportions ({@code sqrt(p (1 - p) (1/n1 + 1/n2))}, {@code p} the pooled accuracy): the usual
 * 5% two-sided test. Within that band the two are tied on source accuracy, and the lower DEV
 * decides (deep embedded validation, You et al., "Towards Accurate Model Selection in Deep
 * Unsupervised Domain Adaptation", ICML 2019): the same held-out source pictures, their losses
 * weighted by how target-like each is, the refinement of source validation for a shifted target.
 * A tie without two DEV values, or with equal ones, keeps the serving model. Declared before any
 * pick under it was computed (docs/evaluation.md).
 *
 * <p>Without both held-out counts ({@value #PICTURES}, recorded since 2026-12-05) there is no
 * band: the higher accuracy wins, as before.
 */
public final class HeldOutComparison {
  /** Standard errors a difference must exceed to count (two-sided 5%). */
  public static final double Z = 1.96;

  /** Key of the held-out picture count in validator maps ({@link LabelFreeValidation}). */
  public static final String PICTURES = "source_val_pictures";

  private HeldOutComparison() {}

  /**
   * The comparison's outcome.
   *
   * @param challengerWins whether the challenger should replace the serving model
   * @param tie whether the accuracies were within the band (then DEV decided)
   * @param margin the band, {@value #Z} standard errors of the difference (0 without counts)
   * @param reason why, in words
   */
  public record Verdict(boolean challengerWins, boolean tie, double margin, String reason) {}

  /**
   * Compares two models' validator maps ({@code model.evaluated.validators}).
   *
   * @param challenger the new candidate's validators
   * @param serving the serving model's validators
   */
  public static Verdict compare(Map<String, Double> challenger, Map<String, Double> serving) {
    String sv = Validator.SOURCE_VAL_ACCURACY.key();
    double a = value(challenger, sv);
    double b = value(serving, sv);
    if (Double.isNaN(a) || Double.isNaN(b)) {
      boolean wins = Validator.SOURCE_VAL_ACCURACY.better(a, b);
      return new Verdict(wins, false, 0, String.format(Locale.ROOT, "%s %s against %s", sv,
          fmt(a), fmt(b)));
    }
    double n1 = value(challenger, PICTURES);
    double n2 = value(serving, PICTURES);
    if (!(n1 > 0) || !(n2 > 0)) { // no counts: no band; equal accuracies keep the serving model
      return new Verdict(a > b, false, 0, String.format(Locale.ROOT, "%s %.4f against %.4f "
          + "(no held-out counts: no band)", sv, a, b));
    }
    double margin = margin(a, n1, b, n2);
    if (Math.abs(a - b) > margin) {
      return new Verdict(a > b, false, margin, String.format(Locale.ROOT,
          "%s %.4f against %.4f, a difference beyond %.4f (%.2f standard errors)", sv, a, b,
          margin, Z));
    }
    String dev = Validator.DEV.key();
    double da = value(challenger, dev);
    double db = value(serving, dev);
    boolean wins = !Double.isNaN(da) && !Double.isNaN(db) && da < db;
    return new Verdict(wins, true, margin, String.format(Locale.ROOT,
        "%s %.4f against %.4f is within %.4f (%.2f standard errors): a tie, decided by %s "
            + "(lower is better) %s against %s", sv, a, b, margin, Z, dev, fmt(da), fmt(db)));
  }

  /**
   * {@value #Z} standard errors of the difference of two accuracies measured on {@code n1} and
   * {@code n2} pictures; 0 when either count is missing or not positive.
   */
  public static double margin(double a, double n1, double b, double n2) {
    if (!(n1 > 0) || !(n2 > 0)) {
      return 0;
    }
    double p = (a * n1 + b * n2) / (n1 + n2);
    return Z * Math.sqrt(Math.max(0, p * (1 - p)) * (1 / n1 + 1 / n2));
  }

  private static double value(Map<String, Double> m, String key) {
    Double v = m == null ? null : m.get(key);
    return v == null ? Double.NaN : v;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "none" : String.format(Locale.ROOT, "%.4f", v);
  }
}
