package dev.daflow.ml.eval;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.special.Gamma;

/**
 * Adjusted mutual information of two labelings of the same items (Vinh, Epps & Bailey,
 * "Information Theoretic Measures for Clusterings Comparison", JMLR 11, 2010, eq. 24a and the
 * expected mutual information of their Theorem 2), normalised by the arithmetic mean of the two
 * entropies, as scikit-learn's {@code adjusted_mutual_info_score} does by default:
 *
 * <pre>AMI = (MI - E[MI]) / (mean(H(U), H(V)) - E[MI])</pre>
 *
 * <p>1 when the labelings agree up to a renaming of labels, about 0 in expectation for
 * independent ones (negative when they agree less than chance). Apache Commons Math has no AMI;
 * this is the formula, with the hypergeometric probabilities in log-gamma form.
 */
public final class AdjustedMutualInformation {
  private static final double EPSILON = Math.ulp(1.0);

  private AdjustedMutualInformation() {}

  /**
   * @param a one label per item (any integers)
   * @param b the other labeling, as many items
   */
  public static double of(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " labels against " + b.length);
    }
    int n = a.length;
    int[] u = compact(a);
    int[] v = compact(b);
    int ku = max(u) + 1;
    int kv = max(v) + 1;
    // Both a single cluster (or no items): the same labeling, as scikit-learn defines it.
    if (n == 0 || (ku == 1 && kv == 1)) {
      return 1.0;
    }
    long[][] table = new long[ku][kv];
    long[] rows = new long[ku];
    long[] cols = new long[kv];
    for (int i = 0; i < n; i++) {
      table[u[i]][v[i]]++;
      rows[u[i]]++;
      cols[v[i]]++;
    }
    double mi = 0;
    for (int i = 0; i < ku; i++) {
      for (int j = 0; j < kv; j++) {
        long nij = table[i][j];
        if (nij > 0) {
          mi += nij / (double) n * Math.log((double) n * nij / ((double) rows[i] * cols[j]));
        }
      }
    }
    double emi = expectedMutualInformation(rows, cols, n);
    double mean = (entropy(rows, n) + entropy(cols, n)) / 2;
    double denominator = mean - emi;
    denominator = denominator < 0 ? Math.min(denominator, -EPSILON)
        : Math.max(denominator, EPSILON);
    return (mi - emi) / denominator;
  }

  /**
   * The mutual information expected between two random labelings with these cluster sizes
   * (their Theorem 2): each cell's count is hypergeometric.
   */
  static double expectedMutualInformation(long[] rows, long[] cols, int n) {
    double lgN = Gamma.logGamma(n + 1.0);
    double emi = 0;
    for (long ai : rows) {
      for (long bj : cols) {
        double fixed = Gamma.logGamma(ai + 1.0) + Gamma.logGamma(bj + 1.0)
            + Gamma.logGamma(n - ai + 1.0) + Gamma.logGamma(n - bj + 1.0) - lgN;
        for (long nij = Math.max(1, ai + bj - n); nij <= Math.min(ai, bj); nij++) {
          double logP = fixed - Gamma.logGamma(nij + 1.0) - Gamma.logGamma(ai - nij + 1.0)
              - Gamma.logGamma(bj - nij + 1.0) - Gamma.logGamma(n - ai - bj + nij + 1.0);
          emi += nij / (double) n * Math.log((double) n * nij / ((double) ai * bj))
              * Math.exp(logP);
        }
      }
    }
    return emi;
  }

  private static double entropy(long[] sizes, int n) {
    double h = 0;
    for (long s : sizes) {
      if (s > 0) {
        double p = s / (double) n;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** The labels renamed 0, 1, 2... in order of first appearance. */
  private static int[] compact(int[] labels) {
    Map<Integer, Integer> ids = new HashMap<>();
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = ids.computeIfAbsent(labels[i], l -> ids.size());
    }
    return out;
  }

  private static int max(int[] xs) {
    int m = -1;
    for (int x : xs) {
      m = Math.max(m, x);
    }
    return m;
  }
}
