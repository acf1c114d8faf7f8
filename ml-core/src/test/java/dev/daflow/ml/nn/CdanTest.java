package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CDAN's conditioning against hand computations (Long et al. 2018, Sec. 3), and the wiring of its
 * losses: a numeric gradient check of the whole graph.
 */
class CdanTest {
  private static final double LAMBDA = 0.7;
  private static final double EPS = 1e-2;

  @Test
  void multilinearMapIsTheFlattenedOuterProductOfPredictionsAndFeatures() {
    float[][] f = {{1, 2, 3}, {-1, 0.5f, 4}};
    float[][] g = {{0.25f, 0.75f}, {0.9f, 0.1f}};
    SameDiff sd = SameDiff.create();
    SDVariable fv = sd.placeHolder("f", DataType.FLOAT, -1, 3);
    SDVariable gv = sd.placeHolder("g", DataType.FLOAT, -1, 2);
    Cdan.map(sd, fv, gv, 3, 2, new Random(1)).rename("t");
    INDArray t = sd.output(Map.of("f", Nd4j.createFromArray(f), "g", Nd4j.createFromArray(g)),
        "t").get("t");
    // By hand: row 0 is 0.25*(1,2,3) then 0.75*(1,2,3); row 1 0.9*(-1,.5,4) then 0.1*(-1,.5,4).
    assertThat(t.shape()).containsExactly(2, 6);
    assertThat(t.getRow(0).toFloatVector()).containsExactly(
        new float[] {0.25f, 0.5f, 0.75f, 0.75f, 1.5f, 2.25f}, within(1e-6f));
    assertThat(t.getRow(1).toFloatVector()).containsExactly(
        new float[] {-0.9f, 0.45f, 3.6f, -0.1f, 0.05f, 0.4f}, within(1e-6f));
  }

  @Test
  void randomizedMapAboveTheThresholdIsTheScaledProductOfTwoProjections() {
    // lenet: 500 features x 10 classes = 5000 > 4096, so the randomized map with d = 1024.
    assertThat(Cdan.randomized(500, 10)).isTrue();
    assertThat(Cdan.randomized(400, 10)).isFalse();
    assertThat(Cdan.mapSize(500, 10)).isEqualTo(1024);
    int features = 500;
    int classes = 10;
    Random data = new Random(4);
    float[][] f = new float[3][features];
    float[][] g = new float[3][classes];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < features; j++) {
        f[i][j] = (float) data.nextGaussian();
      }
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        g[i][k] = data.nextFloat();
        sum += g[i][k];
      }
      for (int k = 0; k < classes; k++) {
        g[i][k] /= (float) sum;
      }
    }
    SameDiff sd = SameDiff.create();
    SDVariable fv = sd.placeHolder("f", DataType.FLOAT, -1, features);
    SDVariable gv = sd.placeHolder("g", DataType.FLOAT, -1, classes);
    Cdan.map(sd, fv, gv, features, classes, new Random(9)).rename("t");
    INDArray t = sd.output(Map.of("f", Nd4j.createFromArray(f), "g", Nd4j.createFromArray(g)),
        "t").get("t");
    INDArray rf = sd.getArrForVarName(Cdan.RANDOM_SCOPE + "/Rf");
    INDArray rg = sd.getArrForVarName(Cdan.RANDOM_SCOPE + "/Rg");
    assertThat(rf.shape()).containsExactly(features, 1024);
    assertThat(rg.shape()).containsExactly(classes, 1024);
    // Standard normal entries: mean near 0, variance near 1.
    assertThat(rf.meanNumber().doubleValue()).isCloseTo(0, within(0.01));
    assertThat(rf.varNumber().doubleValue()).isCloseTo(1, within(0.02));
    for (int i = 0; i < 3; i++) {
      for (int c = 0; c < 1024; c += 37) {
        double a = 0;
        for (int j = 0; j < features; j++) {
          a += f[i][j] * rf.getDouble(j, c);
        }
        double b = 0;
        for (int k = 0; k < classes; k++) {
          b += g[i][k] * rg.getDouble(k, c);
        }
        double expected = a * b / Math.sqrt(1024);
        assertThat(t.getDouble(i, c)).as("row %d column %d", i, c)
            .isCloseTo(expected, within(1e-3 + 1e-4 * Math.abs(expected)));
      }
    }
  }

  @Test
  void entropyWeightsAreOnePlusExpOfMinusEntropyNormalisedWithinEachDomain() {
    float[][] g = {{0.7f, 0.3f}, {0.5f, 0.5f}, {0.9f, 0.1f}, {0.2f, 0.8f}, {0.99f, 0.01f}};
    float[][] d = {{1, 0}, {1, 0}, {0, 1}, {0, 1}, {0, 1}};
    SameDiff sd = SameDiff.create();
    SDVariable gv = sd.placeHolder("g", DataType.FLOAT, -1, 2);
    SDVariable dv = sd.placeHolder("d", DataType.FLOAT, -1, 2);
    Cdan.entropyWeights(sd, gv, dv).rename("w");
    INDArray w = sd.output(Map.of("g", Nd4j.createFromArray(g), "d", Nd4j.createFromArray(d)),
        "w").get("w");
    double[] e = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      double h = 0;
      for (float p : g[i]) {
        h -= p * Math.log(p + 1e-5);
      }
      e[i] = 1 + Math.exp(-h);
    }
    double source = e[0] + e[1];
    double target = e[2] + e[3] + e[4];
    double[] expected = {e[0] / source, e[1] / source, e[2] / target, e[3] / target,
        e[4] / target};
    assertThat(w.shape()).containsExactly(5, 1);
    for (int i = 0; i < g.length; i++) {
      assertThat(w.getDouble(i, 0)).as("row %d", i).isCloseTo(expected[i], within(1e-5));
    }
    // The uniform prediction (entropy ln 2) weighs least in its domain: 1 + 1/2 against 1.7...
    assertThat(w.getDouble(1, 0)).isLessThan(w.getDouble(0, 0));
  }

  @Test
  void discriminatorReadsTheMapOfTheGraphsOwnFeaturesAndPredictions() {
    SameDiff sd = Cdan.graph(new LeNet(), 11, true);
    Map<String, INDArray> out = sd.output(batch(), Graphs.FEATURES, Cdan.PREDICTIONS, Cdan.MAP,
        Cdan.WEIGHTS);
    INDArray f = out.get(Graphs.FEATURES);
    INDArray g = out.get(Cdan.PREDICTIONS);
    INDArray t = out.get(Cdan.MAP);
    INDArray rf = sd.getArrForVarName(Cdan.RANDOM_SCOPE + "/Rf");
    INDArray rg = sd.getArrForVarName(Cdan.RANDOM_SCOPE + "/Rg");
    for (int i = 0; i < 16; i += 5) {
      assertThat(g.getRow(i).sumNumber().doubleValue()).isCloseTo(1, within(1e-5));
      for (int c = 0; c < 1024; c += 101) {
        double a = 0;
        for (int j = 0; j < 500; j++) {
          a += f.getDouble(i, j) * rf.getDouble(j, c);
        }
        double b = 0;
        for (int k = 0; k < 10; k++) {
          b += g.getDouble(i, k) * rg.getDouble(k, c);
        }
        double expected = a * b / 32;
        assertThat(t.getDouble(i, c)).isCloseTo(expected, within(1e-4 + 1e-3 * Math.abs(expected)));
      }
    }
    // CDAN+E: the weights of each domain's 8 rows sum to 1.
    INDArray w = out.get(Cdan.WEIGHTS);
    assertThat(w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8)).sumNumber()
        .doubleValue()).isCloseTo(1, within(1e-5));
    assertThat(w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 16)).sumNumber()
        .doubleValue()).isCloseTo(1, within(1e-5));
  }

  /**
   * The encoder must get the label gradient minus lambda times the domain gradient (reversal);
   * the classifier only its label gradient, although the domain loss does depend on its weights
   * through the predictions (the conditioning reads them detached); the discriminator its plain
   * domain gradient. A missing reversal, a missing detach or a discriminator that ignores the
   * predictions each fails here.
   */
  @Test
  void encoderGetsReversedDomainGradientAndClassifierOnlyItsLabelGradient() {
    for (boolean entropy : new boolean[] {false, true}) {
      SameDiff sd = Cdan.graph(new LeNet(), 11, entropy);
      Map<String, INDArray> ph = batch();
      Map<String, INDArray> analytic = sd.calculateGradients(ph, Graphs.trainable(sd));
      Random pick = new Random(5);
      for (String param : List.of("encoder/conv1/W", "encoder/conv2/b", "encoder/fc3/W",
          "classifier/out/W", "classifier/out/b", "domain/fc1/W", "domain/out/W")) {
        INDArray w = sd.getArrForVarName(param);
        for (int k = 0; k < 4; k++) {
          long i = pick.nextInt((int) w.length());
          double dClass = numeric(sd, ph, w, i, Graphs.LOSS_CLASS);
          double dDomain = numeric(sd, ph, w, i, Graphs.LOSS_DOMAIN);
          double expected;
          if (param.startsWith("encoder/")) {
            expected = dClass - LAMBDA * dDomain;
          } else if (param.startsWith("classifier/")) {
            expected = dClass;
          } else {
            expected = dDomain;
          }
          double got = analytic.get(param).getDouble(i);
          assertThat(got).as("entropy %s: %s[%d]", entropy, param, i)
              .isCloseTo(expected, within(2e-3 + 0.05 * Math.abs(expected)));
        }
      }
      // The discriminator's input depends on the predictions: other classifier weights (same
      // features) move the domain loss (the conditioning is wired in), yet no gradient flows
      // into the classifier from it (above).
      Map<String, INDArray> before = sd.output(ph, Graphs.FEATURES, Cdan.MAP, Graphs.LOSS_DOMAIN);
      Nd4j.getRandom().setSeed(8);
      sd.getArrForVarName("classifier/out/W").assign(
          Nd4j.randn(DataType.FLOAT, 500, 10).muli(0.5));
      Map<String, INDArray> after = sd.output(ph, Graphs.FEATURES, Cdan.MAP, Graphs.LOSS_DOMAIN);
      assertThat(after.get(Graphs.FEATURES)).isEqualTo(before.get(Graphs.FEATURES));
      double moved = after.get(Cdan.MAP).sub(before.get(Cdan.MAP)).norm2Number().doubleValue();
      assertThat(moved).as("entropy %s", entropy)
          .isGreaterThan(0.1 * before.get(Cdan.MAP).norm2Number().doubleValue());
      // (The untrained discriminator is nearly indifferent to its input, but not exactly.)
      assertThat(after.get(Graphs.LOSS_DOMAIN).getDouble(0)).as("entropy %s", entropy)
          .isNotEqualTo(before.get(Graphs.LOSS_DOMAIN).getDouble(0));
    }
  }

  private static double numeric(SameDiff sd, Map<String, INDArray> ph, INDArray w, long i,
      String loss) {
    double orig = w.getDouble(i);
    w.putScalar(i, orig + EPS);
    double plus = sd.output(ph, loss).get(loss).getDouble(0);
    w.putScalar(i, orig - EPS);
    double minus = sd.output(ph, loss).get(loss).getDouble(0);
    w.putScalar(i, orig);
    return (plus - minus) / (2 * EPS);
  }

  private static Map<String, INDArray> batch() {
    Nd4j.getRandom().setSeed(3);
    int n = 8;
    INDArray x = Nd4j.rand(DataType.FLOAT, 2 * n, 1, 28, 28);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 2 * n, 10);
    INDArray d = Nd4j.zeros(DataType.FLOAT, 2 * n, 2);
    for (int r = 0; r < 2 * n; r++) {
      if (r < n) {
        y.putScalar(r, r % 10, 1f);
      }
      d.putScalar(r, r < n ? 0 : 1, 1f);
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, x);
    ph.put(Graphs.Y, y);
    ph.put(Graphs.DOMAIN, d);
    ph.put(Graphs.LAMBDA, Nd4j.scalar((float) LAMBDA));
    return ph;
  }
}
