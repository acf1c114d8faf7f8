package dev.daflow.ml.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The target-side graph of SHOT-IM: Liang, Hu &amp; Feng (2020), "Do We Really Need to Access the
 * Source Data? Source Hypothesis Transfer for Unsupervised Domain Adaptation", ICML, Sec. 3.2.
 *
 * <p>The source hypothesis (the classifier head trained on the source) is frozen: its parameters
 * are graph constants, so no gradient is computed for them and no optimiser can move them. Only
 * the encoder learns, on target pictures alone, by information maximisation (eq. 2):
 *
 * <pre>
 *   L_IM = E_x[ H(p(x)) ] - H( E_x[p(x)] ),   H(q) = -sum_k q_k log(q_k + 1e-5)
 * </pre>
 *
 * <p>the mean entropy of the predictions (each prediction confident) minus the entropy of the
 * mean prediction (all classes used: diverse), as the authors' code computes it over each batch,
 * with the same {@code 1e-5} guard.
 *
 * <p>Full SHOT (Sec. 3.3) adds self-supervised pseudo-labels: before each target epoch, every target
 * picture is labelled by the nearest class centroid of the current features (cosine distance;
 * centroids weighted by the predictions, then once more by the labels so found; {@link
 * #pseudoLabels}), and {@code beta} times the cross-entropy against those labels joins the loss,
 * {@code beta = 0.1} as in the authors' digit script ({@code digit.sh: --cls_par 0.1}).
 */
public final class Shot {
  /** Loss: the information-maximisation loss of the target batch. */
  public static final String LOSS_IM = "loss_im";
  /** Loss: {@link #PSEUDO_LABEL_WEIGHT} times the cross-entropy against the pseudo-labels. */
  public static final String LOSS_PSEUDO_LABEL = "loss_pseudo_label";
  /** Placeholder: each target row's pseudo-label, one-hot {@code [N, K]}. */
  public static final String PSEUDO_LABELS = "pseudo_labels";
  /** SHOT's {@code beta} for digits (the authors' {@code --cls_par 0.1}). */
  public static final double PSEUDO_LABEL_WEIGHT = 0.1;
  /** Entropy's guard inside the logarithm, as the authors' {@code Entropy}. */
  static final double EPSILON = 1e-5;

  private Shot() {}

  /**
   * SHOT-IM's adaptation graph: placeholder {@link Graphs#X} (target pictures only), a trainable
   * encoder and a frozen classifier (run without dropout, as the authors' {@code netC.eval()});
   * loss {@link #LOSS_IM}.
   */
  public static SameDiff adaptation(Architecture a, long seed) {
    return adaptation(a, seed, false);
  }

  /**
   * SHOT-IM's adaptation graph, or with {@code pseudoLabels} full SHOT's: placeholder {@link
   * #PSEUDO_LABELS} and loss {@link #LOSS_PSEUDO_LABEL} besides {@link #LOSS_IM}.
   */
  public static SameDiff adaptation(Architecture a, long seed, boolean pseudoLabels) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = Graphs.input(sd, Graphs.X, a);
    // Target batches only: batch normalisation by their own statistics, as the authors' training
    // mode does during adaptation.
    SDVariable f = a.encoder(new Layers(sd, Graphs.ENCODER, r).with(BatchDomains.TARGET), x, true);
    SDVariable logits = a.classifier(
        new Layers(sd, Graphs.CLASSIFIER, r, true).with(BatchDomains.TARGET), f, false);
    informationMaximisation(sd, LOSS_IM, logits);
    if (!pseudoLabels) {
      sd.setLossVariables(LOSS_IM);
      return sd;
    }
    SDVariable y = sd.placeHolder(PSEUDO_LABELS, DataType.FLOAT, -1, a.classes());
    Graphs.crossEntropy(sd, "pseudo_label_ce", y, logits)
        .mul(LOSS_PSEUDO_LABEL, PSEUDO_LABEL_WEIGHT);
    sd.setLossVariables(LOSS_IM, LOSS_PSEUDO_LABEL);
    return sd;
  }

  /**
   * SHOT's self-supervised pseudo-labels (Liang et al. 2020, Sec. 3.3, eqs. 4-5, as the authors'
   * {@code obtain_label}): each feature gets a constant 1 appended and is scaled to unit length;
   * class centroids are the means of the features weighted by the predicted probabilities; each
   * picture takes the class of the nearest centroid by cosine distance; the centroids are then
   * recomputed from those hard labels, and each picture takes the nearest once more.
   *
   * @param features {@code [N][d]} encoder features of the target pictures
   * @param probabilities {@code [N][K]} the model's class probabilities for them
   * @return each picture's pseudo-label in {@code 0..K-1}
   */
  public static int[] pseudoLabels(float[][] features, float[][] probabilities) {
    int n = features.length;
    if (n == 0) {
      return new int[0];
    }
    int k = probabilities[0].length;
    double[][] unit = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] v = new double[features[i].length + 1];
      double norm = 1;
      for (int j = 0; j < features[i].length; j++) {
        v[j] = features[i][j];
        norm += v[j] * v[j];
      }
      v[v.length - 1] = 1;
      norm = Math.sqrt(norm);
      for (int j = 0; j < v.length; j++) {
        v[j] /= norm;
      }
      unit[i] = v;
    }
    double[][] weights = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        weights[i][c] = probabilities[i][c];
      }
    }
    int[] labels = nearest(unit, centroids(unit, weights, k));
    // One round with hard labels, as the authors' code.
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(weights[i], 0);
      weights[i][labels[i]] = 1;
    }
    return nearest(unit, centroids(unit, weights, k));
  }

  private static double[][] centroids(double[][] unit, double[][] weights, int k) {
    int d = unit[0].length;
    double[][] c = new double[k][d];
    double[] mass = new double[k];
    for (int i = 0; i < unit.length; i++) {
      for (int cls = 0; cls < k; cls++) {
        double w = weights[i][cls];
        if (w != 0) {
          mass[cls] += w;
          for (int j = 0; j < d; j++) {
            c[cls][j] += w * unit[i][j];
          }
        }
      }
    }
    for (int cls = 0; cls < k; cls++) {
      for (int j = 0; j < d; j++) {
        c[cls][j] /= 1e-8 + mass[cls];
      }
    }
    return c;
  }

  /** The class of the centroid at the smallest cosine distance from each (unit) feature. */
  private static int[] nearest(double[][] unit, double[][] centroids) {
    double[] norms = new double[centroids.length];
    for (int c = 0; c < centroids.length; c++) {
      double s = 0;
      for (double v : centroids[c]) {
        s += v * v;
      }
      norms[c] = Math.sqrt(s);
    }
    int[] out = new int[unit.length];
    for (int i = 0; i < unit.length; i++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < centroids.length; c++) {
        if (norms[c] == 0) {
          continue; // a class no picture belongs to has no centroid
        }
        double dot = 0;
        for (int j = 0; j < unit[i].length; j++) {
          dot += unit[i][j] * centroids[c][j];
        }
        double cosine = dot / norms[c];
        if (cosine > best) {
          best = cosine;
          out[i] = c;
        }
      }
    }
    return out;
  }

  /**
   * {@code L_IM} of a batch of logits {@code [N, K]}: mean per-row entropy of {@code
   * softmax(logits)} minus the entropy of the mean prediction.
   */
  public static SDVariable informationMaximisation(SameDiff sd, String name, SDVariable logits) {
    SDVariable p = sd.nn().softmax(logits, 1);
    SDVariable meanEntropy = p.mul(sd.math().log(p.add(EPSILON))).sum(1).neg().mean();
    SDVariable meanPrediction = p.mean(0);
    SDVariable diversity = meanPrediction.mul(sd.math().log(meanPrediction.add(EPSILON))).sum()
        .neg();
    return meanEntropy.sub(name, diversity);
  }
}
