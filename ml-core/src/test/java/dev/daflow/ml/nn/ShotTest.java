package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** SHOT's information-maximisation loss (Liang et al. 2020, eq. 2) and its frozen head. */
class ShotTest {

  @Test
  void informationMaximisationIsMeanEntropyMinusEntropyOfTheMean() {
    float[][] logits = {{2.0f, 0.5f, -1.0f}, {0.1f, 0.2f, 0.3f}, {-1.5f, 3.0f, 0.5f}};
    assertThat(im(logits)).isCloseTo(byHand(logits), within(1e-6));
    // Confident and diverse predictions reach the minimum, -ln K (K = 3)...
    float[][] ideal = {{40, 0, 0}, {0, 40, 0}, {0, 0, 40}};
    assertThat(im(ideal)).isCloseTo(-Math.log(3), within(1e-4));
    // ...confident but collapsed ones, or diverse but unsure ones, do not.
    float[][] collapsed = {{40, 0, 0}, {40, 0, 0}, {40, 0, 0}};
    assertThat(im(collapsed)).isCloseTo(0, within(1e-4));
    float[][] unsure = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    assertThat(im(unsure)).isCloseTo(0, within(1e-4));
  }

  @Test
  void adaptationGraphTrainsTheEncoderOnlyAndReadsNoLabels() {
    SameDiff sd = Shot.adaptation(new LeNet(), 3);
    assertThat(Graphs.trainable(sd)).isNotEmpty()
        .allMatch(p -> p.startsWith(Graphs.ENCODER + "/"));
    assertThat(Graphs.parameters(sd)).contains("classifier/out/W", "classifier/out/b");
    assertThat(sd.inputs()).containsExactly(Graphs.X);
  }

  /**
   * The pseudo-labels by hand: two clusters along the axes. The prediction of picture 2 is wrong
   * (it says class 0) but its feature lies with class 1's, so the centroid step relabels it; a
   * class predicted for no picture (class 2) gets no centroid and no picture.
   */
  @Test
  void pseudoLabelsFollowTheNearestCentroidNotThePrediction() {
    float[][] features = {{1, 0}, {0.9f, 0.1f}, {0.05f, 1}, {0, 1}, {0.1f, 0.9f}};
    float[][] probs = {{0.9f, 0.1f, 0}, {0.8f, 0.2f, 0}, {0.6f, 0.4f, 0}, {0.2f, 0.8f, 0},
        {0.3f, 0.7f, 0}};
    assertThat(Shot.pseudoLabels(features, probs)).containsExactly(0, 0, 1, 1, 1);
    assertThat(Shot.pseudoLabels(new float[0][], new float[0][])).isEmpty();
  }

  /** Full SHOT's extra loss is beta = 0.1 times the cross-entropy against the pseudo-labels. */
  @Test
  void pseudoLabelLossIsATenthOfTheCrossEntropy() {
    SameDiff sd = Shot.adaptation(new LeNet(), 3, true);
    assertThat(sd.inputs()).containsExactlyInAnyOrder(Graphs.X, Shot.PSEUDO_LABELS);
    var x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
    var y = Nd4j.zeros(DataType.FLOAT, 4, 10);
    int[] labels = {3, 0, 7, 7};
    for (int i = 0; i < 4; i++) {
      y.putScalar(i, labels[i], 1);
    }
    double loss = sd.output(Map.of(Graphs.X, x, Shot.PSEUDO_LABELS, y), Shot.LOSS_PSEUDO_LABEL)
        .get(Shot.LOSS_PSEUDO_LABEL).getDouble(0);
    // The same seed gives the inference graph the same weights: its probabilities by hand.
    SameDiff inference = Graphs.inference(new LeNet(), 3);
    float[][] p = inference.output(Map.of(Graphs.X, x), Graphs.PROBS).get(Graphs.PROBS)
        .toFloatMatrix();
    double ce = 0;
    for (int i = 0; i < 4; i++) {
      ce -= Math.log(p[i][labels[i]]) / 4;
    }
    assertThat(loss).isCloseTo(0.1 * ce, within(1e-5));
  }

  private static double im(float[][] logits) {
    SameDiff sd = SameDiff.create();
    SDVariable z = sd.placeHolder("z", DataType.FLOAT, -1, 3);
    Shot.informationMaximisation(sd, "l", z);
    return sd.output(Map.of("z", Nd4j.createFromArray(logits)), "l").get("l").getDouble(0);
  }

  private static double byHand(float[][] logits) {
    int n = logits.length;
    int k = logits[0].length;
    double meanEntropy = 0;
    double[] mean = new double[k];
    for (float[] row : logits) {
      double z = 0;
      double[] p = new double[k];
      for (int c = 0; c < k; c++) {
        p[c] = Math.exp(row[c]);
        z += p[c];
      }
      for (int c = 0; c < k; c++) {
        p[c] /= z;
        meanEntropy -= p[c] * Math.log(p[c] + 1e-5) / n;
        mean[c] += p[c] / n;
      }
    }
    double entropyOfMean = 0;
    for (double m : mean) {
      entropyOfMean -= m * Math.log(m + 1e-5);
    }
    return meanEntropy - entropyOfMean;
  }
}
