package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeepEmbeddedValidationTest {

  @Test
  void theControlVariateRiskByHand() {
    // w = (0.5, 1.5), l = (2, 4): L = (1, 6), mean L 3.5, mean w 1; Cov(L, w) = 2.5,
    // Var(w) = 0.5 (n - 1 = 1): eta = -5; DEV = 3.5 - 5 * 1 + 5 = 3.5.
    assertThat(DeepEmbeddedValidation.risk(new double[] {0.5, 1.5}, new double[] {2, 4}))
        .isCloseTo(3.5, within(1e-12));
    // A constant loss is recovered exactly, whatever the weights: the variate cancels them.
    assertThat(DeepEmbeddedValidation.risk(new double[] {1, 2, 3}, new double[] {1, 1, 1}))
        .isCloseTo(1.0, within(1e-12));
    // Equal weights: the plain weighted mean.
    assertThat(DeepEmbeddedValidation.risk(new double[] {2, 2, 2}, new double[] {0.5, 1, 1.5}))
        .isCloseTo(2.0, within(1e-12));
    assertThatThrownBy(() -> DeepEmbeddedValidation.risk(new double[] {1}, new double[] {1}))
        .hasMessageContaining("at least 2");
  }

  @Test
  void sourcePicturesLikeTheTargetWeighMore() {
    // Source: half near (0, 0) with loss 0, half near (3, 3) with loss 1. The target lies near
    // (3, 3): the target risk is about 1, while the unweighted source loss is 0.5.
    Random r = new Random(5);
    int m = 400;
    double[][] source = new double[m][];
    double[] losses = new double[m];
    for (int i = 0; i < m; i++) {
      boolean far = (i / 2) % 2 == 1; // both halves among the fitted and the weighed rows
      source[i] = new double[] {(far ? 3 : 0) + r.nextGaussian() * 0.5,
          (far ? 3 : 0) + r.nextGaussian() * 0.5};
      losses[i] = far ? 1 : 0;
    }
    double[][] target = new double[300][];
    for (int i = 0; i < target.length; i++) {
      target[i] = new double[] {3 + r.nextGaussian() * 0.5, 3 + r.nextGaussian() * 0.5};
    }
    double dev = DeepEmbeddedValidation.of(source, losses, target);
    assertThat(dev).isGreaterThan(0.8).isLessThan(1.2);
    // Target like the whole source: about the plain mean.
    double[][] like = new double[300][];
    for (int i = 0; i < like.length; i++) {
      like[i] = source[(i * 7) % m].clone();
      like[i][0] += r.nextGaussian() * 0.1;
    }
    assertThat(DeepEmbeddedValidation.of(source, losses, like)).isCloseTo(0.5, within(0.15));
  }
}
