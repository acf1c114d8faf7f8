package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MCC's loss (Jin et al. 2020, eq. 1-7) against a computation in plain Java loops. */
class MccTest {
  /** Two source rows (masked out), then four target rows; three classes. */
  private static final float[][] LOGITS = {
      {9, -3, 0}, {-5, 7, 1},
      {2.0f, 0.5f, -1.0f}, {0.1f, 0.2f, 0.3f}, {-1.5f, 3.0f, 0.5f}, {4.0f, -2.0f, 1.0f}};
  private static final float[][] MASK = {{0}, {0}, {1}, {1}, {1}, {1}};

  @Test
  void lossOfTheTargetRowsMatchesAHandComputation() {
    double got = mcc(LOGITS, MASK);
    double expected = byHand(java.util.Arrays.copyOfRange(LOGITS, 2, 6), 2.5);
    assertThat(got).isCloseTo(expected, within(1e-6));
    // Not a degenerate value: four fairly unsure rows confuse their classes noticeably.
    assertThat(expected).isBetween(0.2, 1.0);
  }

  @Test
  void sourceRowsDoNotCount() {
    float[][] changed = LOGITS.clone();
    changed[0] = new float[] {-8, 8, 8};
    changed[1] = new float[] {0, 0, 0};
    assertThat(mcc(changed, MASK)).isCloseTo(mcc(LOGITS, MASK), within(1e-7));
    // ...and a confident, one-class target batch confuses nothing.
    float[][] sure = {{30, 0, 0}, {30, 0, 0}, {0, 30, 0}, {0, 0, 30}};
    float[][] all = {{1}, {1}, {1}, {1}};
    assertThat(mcc(sure, all)).isCloseTo(byHand(sure, 2.5), within(1e-6)).isLessThan(1e-4);
  }

  @Test
  void lossSendsAGradientIntoTheLogitsOfTargetRowsOnly() {
    SameDiff sd = SameDiff.create();
    SDVariable z = sd.var("z", Nd4j.createFromArray(LOGITS));
    SDVariable m = sd.placeHolder("m", DataType.FLOAT, -1, 1);
    Mcc.loss(sd, "l", z, m, Mcc.TEMPERATURE, 3);
    sd.setLossVariables("l");
    INDArray g = sd.calculateGradients(Map.of("m", Nd4j.createFromArray(MASK)), "z").get("z");
    assertThat(g.getRow(0).norm2Number().doubleValue()).isZero();
    assertThat(g.getRow(1).norm2Number().doubleValue()).isZero();
    for (int i = 2; i < 6; i++) {
      assertThat(g.getRow(i).norm2Number().doubleValue()).as("row %d", i).isGreaterThan(1e-4);
    }
  }

  private static double mcc(float[][] logits, float[][] mask) {
    SameDiff sd = SameDiff.create();
    SDVariable z = sd.placeHolder("z", DataType.FLOAT, -1, 3);
    SDVariable m = sd.placeHolder("m", DataType.FLOAT, -1, 1);
    Mcc.loss(sd, "l", z, m, Mcc.TEMPERATURE, 3);
    return sd.output(Map.of("z", Nd4j.createFromArray(logits), "m", Nd4j.createFromArray(mask)),
        "l").get("l").getDouble(0);
  }

  /** The paper's steps, one loop each. */
  private static double byHand(float[][] logits, double t) {
    int n = logits.length;
    int k = logits[0].length;
    double[][] p = new double[n][k];
    double[] w = new double[n];
    double wSum = 0;
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, logits[i][c] / t);
      }
      double z = 0;
      for (int c = 0; c < k; c++) {
        p[i][c] = Math.exp(logits[i][c] / t - max);
        z += p[i][c];
      }
      double h = 0;
      for (int c = 0; c < k; c++) {
        p[i][c] /= z;
        h -= p[i][c] * Math.log(p[i][c] + 1e-5);
      }
      w[i] = 1 + Math.exp(-h);
      wSum += w[i];
    }
    for (int i = 0; i < n; i++) {
      w[i] = n * w[i] / wSum;
    }
    double[][] confusion = new double[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        for (int i = 0; i < n; i++) {
          confusion[a][b] += p[i][a] * w[i] * p[i][b];
        }
      }
    }
    double loss = 0;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double column = 0;
        for (int r = 0; r < k; r++) {
          column += confusion[r][b];
        }
        if (a != b) {
          loss += confusion[a][b] / column;
        }
      }
    }
    return loss / k;
  }
}
