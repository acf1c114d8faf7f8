package dev.daflow.ml.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Deep embedded validation (You, Wang, Long & Jordan, "Towards Accurate Model Selection in Deep
 * Unsupervised Domain Adaptation", ICML 2019, Algorithm 1): the target risk estimated as the
 * source validation loss weighted by the density ratio {@code w(x) = p_target(x) / p_source(x)}
 * in the model's feature space, with a control variate that cancels most of the weights'
 * variance:
 *
 * <pre>L_i = w_i l_i,  eta = -Cov(L, w) / Var(w),  DEV = mean(L) + eta mean(w) - eta</pre>
 *
 * <p>The density ratio comes from a domain classifier ({@link DomainClassifier}): {@code w =
 * (n_s / n_t) d / (1 - d)}, with {@code d} its probability that a picture is from the target.
 * The paper fits it on source training and target features and weighs the source validation
 * pictures; here, with only the held-out source pictures at hand, it is fitted on every other
 * held-out source picture against every other target picture and weighs the remaining source
 * pictures, so no weight is of a picture the classifier was fitted on; and its log-odds are
 * truncated ({@link #MAX_LOG_ODDS}). A risk: lower is better.
 */
public final class DeepEmbeddedValidation {
  /**
   * The domain classifier's log-odds are truncated to this (weights within a factor 20 of the
   * prior either way): with few pictures and many features it separates the domains perfectly,
   * and untruncated weights would then follow its overconfidence, not the density ratio.
   */
  static final double MAX_LOG_ODDS = Math.log(20);

  private DeepEmbeddedValidation() {}

  /**
   * The control-variate estimate of the weighted risk (the paper's eq. 9 with the optimal
   * {@code eta}); the plain weighted mean when all weights are equal.
   *
   * @param weights the density ratio of each source validation picture
   * @param losses its loss (here: cross-entropy of its true label)
   */
  public static double risk(double[] weights, double[] losses) {
    int n = weights.length;
    if (n != losses.length || n < 2) {
      throw new IllegalArgumentException("DEV needs as many weights as losses, at least 2: "
          + n + " and " + losses.length);
    }
    double[] weighted = new double[n];
    double meanL = 0;
    double meanW = 0;
    for (int i = 0; i < n; i++) {
      weighted[i] = weights[i] * losses[i];
      meanL += weighted[i] / n;
      meanW += weights[i] / n;
    }
    double cov = 0;
    double var = 0;
    for (int i = 0; i < n; i++) {
      cov += (weighted[i] - meanL) * (weights[i] - meanW) / (n - 1);
      var += (weights[i] - meanW) * (weights[i] - meanW) / (n - 1);
    }
    double eta = var > 0 ? -cov / var : 0;
    return meanL + eta * meanW - eta;
  }

  /**
   * DEV of a model from its features and losses.
   *
   * @param sourceFeatures {@code [m][d]} features of the held-out source pictures
   * @param sourceLosses the loss of each of them
   * @param targetFeatures {@code [n][d]} features of target pictures
   */
  public static double of(double[][] sourceFeatures, double[] sourceLosses,
      double[][] targetFeatures) {
    if (sourceFeatures.length != sourceLosses.length) {
      throw new IllegalArgumentException(sourceFeatures.length + " source feature rows but "
          + sourceLosses.length + " losses");
    }
    if (sourceFeatures.length < 4 || targetFeatures.length < 2) {
      throw new IllegalArgumentException("DEV needs at least 4 source and 2 target pictures, "
          + "got " + sourceFeatures.length + " and " + targetFeatures.length);
    }
    double[][] sFit = everyOther(sourceFeatures, 0);
    double[][] sHeld = everyOther(sourceFeatures, 1);
    double[][] tFit = everyOther(targetFeatures, 0);
    double[] y = new double[sFit.length + tFit.length];
    Arrays.fill(y, sFit.length, y.length, 1);
    double[][] x = new double[y.length][];
    System.arraycopy(sFit, 0, x, 0, sFit.length);
    System.arraycopy(tFit, 0, x, sFit.length, tFit.length);
    DomainClassifier c = DomainClassifier.fit(Nd4j.create(x),
        Nd4j.create(y, new long[] {y.length, 1}, 'c'));
    INDArray logits = c.logits(Nd4j.create(sHeld));
    double prior = sFit.length / (double) tFit.length;
    double[] weights = new double[sHeld.length];
    double[] losses = new double[sHeld.length];
    for (int i = 0; i < weights.length; i++) {
      // d / (1 - d) = exp(logit), truncated (Ionides, "Truncated Importance Sampling", JCGS
      // 2008): a few pictures the classifier is sure of must not carry the whole estimate.
      double logOdds = Math.max(-MAX_LOG_ODDS, Math.min(MAX_LOG_ODDS, logits.getDouble(i, 0)));
      weights[i] = prior * Math.exp(logOdds);
      losses[i] = sourceLosses[2 * i + 1];
    }
    return risk(weights, losses);
  }

  private static double[][] everyOther(double[][] rows, int first) {
    double[][] out = new double[(rows.length - first + 1) / 2][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows[first + 2 * i];
    }
    return out;
  }
}
