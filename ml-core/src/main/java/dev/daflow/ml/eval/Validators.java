package dev.daflow.ml.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Label-free validators: scores of a classifier on unlabelled target pictures that stand in for
 * the target accuracy nobody can measure without target labels, so that a model can be chosen
 * (an epoch, a job) by them. Pure functions over prediction and feature arrays; {@link
 * Validator} names them and says which way is better. Natural logarithms throughout.
 *
 * <p>Each takes {@code probabilities[n][k]}: the softmax output of {@code n} pictures over {@code
 * k} classes (rows sum to 1), or the features the classifier reads.
 */
public final class Validators {
  /** The softmax temperature of SND, as in Saito et al. (2021, Sec. 3.2). */
  public static final double SND_TEMPERATURE = 0.05;

  /** Lloyd iterations of ClassAMI's k-means at most. */
  static final int KMEANS_ITERATIONS = 100;

  private Validators() {}

  /** Shannon entropy of one distribution ({@code 0 log 0 = 0}). */
  public static double entropy(double[] p) {
    double h = 0;
    for (double v : p) {
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  /**
   * Mean prediction entropy, {@code (1/n) sum_i H(p_i)}: low when the classifier is confident on
   * target pictures (Grandvalet & Bengio, NIPS 2004, entropy minimisation; Morerio et al., ICLR
   * 2018, use it to select models). Lower is better; it also falls on a collapsed classifier,
   * which is why promotion guards against collapse on its own ({@link Collapse}).
   */
  public static double meanEntropy(double[][] probabilities) {
    requireRows(probabilities);
    double sum = 0;
    for (double[] p : probabilities) {
      sum += entropy(p);
    }
    return sum / probabilities.length;
  }

  /** The mean prediction {@code (1/n) sum_i p_i}: the predicted class distribution. */
  public static double[] meanPrediction(double[][] probabilities) {
    requireRows(probabilities);
    double[] mean = new double[probabilities[0].length];
    for (double[] p : probabilities) {
      for (int c = 0; c < mean.length; c++) {
        mean[c] += p[c];
      }
    }
    for (int c = 0; c < mean.length; c++) {
      mean[c] /= probabilities.length;
    }
    return mean;
  }

  /**
   * Information maximisation, {@code H(mean_i p_i) - mean_i H(p_i)}: the mutual information
   * between pictures and predicted classes (Gomes, Krause & Perona, "Discriminative clustering by
   * regularized information maximization", NIPS 2010; the objective of SHOT-IM, Liang et al.,
   * ICML 2020). Confident predictions raise it, predicting few classes lowers it. Higher is
   * better; at most {@code log k}.
   */
  public static double informationMaximization(double[][] probabilities) {
    return entropy(meanPrediction(probabilities)) - meanEntropy(probabilities);
  }

  /**
   * Batch nuclear norm, {@code ||P||_* / n}: the sum of the singular values of the {@code n x k}
   * softmax matrix, divided by {@code n} (Cui et al., "Towards Discriminability and Diversity:
   * Batch Nuclear-norm Maximization under Label Insufficient Situations", CVPR 2020). Large when
   * predictions are both confident and spread over the classes. Higher is better; at most
   * {@code sqrt(k / n)} (confident and balanced: {@code ||P||_* <= sqrt(rank) ||P||_F}), so
   * values compare only at the same {@code n}, as the evaluator's (a fixed number of target
   * pictures) do.
   */
  public static double batchNuclearNorm(double[][] probabilities) {
    requireRows(probabilities);
    double[] singular = new SingularValueDecomposition(
        new Array2DRowRealMatrix(probabilities, false)).getSingularValues();
    double sum = 0;
    for (double s : singular) {
      sum += s;
    }
    return sum / probabilities.length;
  }

  /** {@link #softNeighbourhoodDensity(double[][], double)} at {@link #SND_TEMPERATURE}. */
  public static double softNeighbourhoodDensity(double[][] probabilities) {
    return softNeighbourhoodDensity(probabilities, SND_TEMPERATURE);
  }

  /**
   * Soft neighbourhood density (Saito, Kim, Teterwak, Sclaroff, Darrell & Saenko, "Tune it the
   * Right Way: Unsupervised Validation of Domain Adaptation via Soft Neighborhood Density", ICCV
   * 2021): the softmax outputs are L2-normalised, each picture's cosine similarities to every
   * other picture are divided by the temperature and turned into a distribution by a softmax, and
   * SND is the mean entropy of those distributions. High when pictures have many close
   * neighbours (dense clusters). Higher is better.
   *
   * @param temperature the softmax temperature ({@link #SND_TEMPERATURE} in the paper)
   */
  public static double softNeighbourhoodDensity(double[][] probabilities, double temperature) {
    requireRows(probabilities);
    int n = probabilities.length;
    if (n < 2) {
      throw new IllegalArgumentException("SND needs at least 2 pictures, got " + n);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    double[][] unit = new double[n][];
    for (int i = 0; i < n; i++) {
      unit[i] = normalised(probabilities[i]);
    }
    double[] logits = new double[n - 1];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int m = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          logits[m] = dot(unit[i], unit[j]) / temperature;
          max = Math.max(max, logits[m]);
          m++;
        }
      }
      // Entropy of softmax(logits) = log Z - sum q_j z_j, with the logits shifted by their max.
      double z = 0;
      double weighted = 0;
      for (double l : logits) {
        double e = Math.exp(l - max);
        z += e;
        weighted += e * (l - max);
      }
      sum += Math.log(z) - weighted / z;
    }
    return sum / n;
  }

  /**
   * ClassAMI (Musgrave, Belongie & Lim, "Three New Validators and a Large-Scale Benchmark Ranking
   * for Unsupervised Domain Adaptation", 2022): the target features are clustered by k-means with
   * as many clusters as classes, and the score is the adjusted mutual information between the
   * clusters and the predicted classes: high when the classifier's decisions follow the
   * structure of its own feature space. Higher is better; 1 when they agree exactly, about 0 for
   * independent labelings. k-means++ of Apache Commons Math, seeded: deterministic.
   *
   * @param features {@code [n][d]} features of the pictures
   * @param predicted the predicted class of each picture
   * @param classes the number of classes (the number of clusters)
   * @param seed seeds the k-means++ initialisation
   */
  public static double classAmi(double[][] features, int[] predicted, int classes, long seed) {
    requireRows(features);
    if (features.length != predicted.length) {
      throw new IllegalArgumentException(features.length + " feature rows but "
          + predicted.length + " predictions");
    }
    int k = Math.min(classes, features.length);
    List<DoublePoint> points = new ArrayList<>(features.length);
    for (double[] f : features) {
      points.add(new DoublePoint(f));
    }
    JDKRandomGenerator random = new JDKRandomGenerator();
    random.setSeed(seed);
    KMeansPlusPlusClusterer<DoublePoint> kmeans = new KMeansPlusPlusClusterer<>(k,
        KMEANS_ITERATIONS, new EuclideanDistance(), random);
    List<CentroidCluster<DoublePoint>> clusters = kmeans.cluster(points);
    // Points are assigned by identity: equal feature rows are distinct points.
    java.util.IdentityHashMap<DoublePoint, Integer> clusterOf = new java.util.IdentityHashMap<>();
    for (int c = 0; c < clusters.size(); c++) {
      for (DoublePoint p : clusters.get(c).getPoints()) {
        clusterOf.put(p, c);
      }
    }
    int[] assigned = new int[points.size()];
    for (int i = 0; i < assigned.length; i++) {
      assigned[i] = Objects.requireNonNull(clusterOf.get(points.get(i)), "unclustered point");
    }
    return AdjustedMutualInformation.of(predicted, assigned);
  }

  /** The index of each row's largest value (the predicted class). */
  public static int[] argMax(double[][] probabilities) {
    int[] out = new int[probabilities.length];
    for (int i = 0; i < out.length; i++) {
      double[] p = probabilities[i];
      int best = 0;
      for (int c = 1; c < p.length; c++) {
        if (p[c] > p[best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** Fraction of {@code predicted} equal to {@code labels}. */
  public static double accuracy(int[] predicted, int[] labels) {
    if (predicted.length != labels.length || predicted.length == 0) {
      throw new IllegalArgumentException("accuracy needs as many predictions as labels, at "
          + "least one: " + predicted.length + " and " + labels.length);
    }
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predicted[i] == labels[i]) {
        right++;
      }
    }
    return right / (double) labels.length;
  }

  private static double[] normalised(double[] v) {
    double norm = Math.sqrt(dot(v, v));
    double[] out = new double[v.length];
    if (norm > 0) {
      for (int c = 0; c < v.length; c++) {
        out[c] = v[c] / norm;
      }
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int c = 0; c < a.length; c++) {
      s += a[c] * b[c];
    }
    return s;
  }

  private static void requireRows(double[][] rows) {
    if (rows == null || rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("a validator needs at least one picture's output");
    }
  }
}
