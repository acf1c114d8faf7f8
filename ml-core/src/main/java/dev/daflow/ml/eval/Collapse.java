package dev.daflow.ml.eval;

/**
 * Whether a classifier has collapsed on the target domain: it predicts one class for most
 * pictures. Adversarial and entropy-minimising methods can reach this degenerate optimum (every
 * target picture confidently in one class has zero entropy and fools a domain classifier no
 * worse than before); label-free validators that reward confidence (entropy, SND) rate it well,
 * so promotion refuses a collapsed model on its own.
 *
 * <p>The rule: collapsed when the share of pictures predicted as the most frequent class exceeds
 * {@code (1 + 1/k) / 2}, the midpoint between a balanced prediction ({@code 1/k} each) and total
 * collapse (1): the prediction is then nearer to "everything is one class" than to "the classes
 * are balanced". With the 10 digit classes the threshold is 0.55, so one class takes more than
 * half of all pictures, more than all nine others together; a real label shift is far from it
 * (USPS's most frequent digit, 0, is 16% of its pictures). With 2 classes it is 0.75.
 *
 * @param largestClassShare fraction of pictures predicted as the most frequent class
 * @param largestClass that class's index
 * @param meanPredictionEntropy entropy of the mean prediction ({@code H(mean_i p_i)}), natural
 *     log: {@code log k} when balanced, 0 when every picture is one class for sure
 * @param collapsed whether {@code largestClassShare} exceeds {@link #threshold(int)}
 */
public record Collapse(double largestClassShare, int largestClass, double meanPredictionEntropy,
    boolean collapsed) {

  /** The share of one class above which {@code k} classes count as collapsed. */
  public static double threshold(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    return (1 + 1.0 / classes) / 2;
  }

  /** The collapse measures of softmax outputs {@code [n][k]}. */
  public static Collapse of(double[][] probabilities) {
    int k = probabilities[0].length;
    int[] counts = new int[k];
    for (int c : Validators.argMax(probabilities)) {
      counts[c]++;
    }
    int largest = 0;
    for (int c = 1; c < k; c++) {
      if (counts[c] > counts[largest]) {
        largest = c;
      }
    }
    double share = counts[largest] / (double) probabilities.length;
    return new Collapse(share, largest,
        Validators.entropy(Validators.meanPrediction(probabilities)), share > threshold(k));
  }
}
