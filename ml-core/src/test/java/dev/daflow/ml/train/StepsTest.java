package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Steps}: the shared step's refusal of a diverged loss, and gradient clipping. */
class StepsTest {

  /** A step whose loss is not finite throws before the optimiser writes a single weight. */
  @Test
  void aNonFiniteLossLeavesEveryWeightAsItWas() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
    SDVariable w = sd.var("w", Nd4j.createFromArray(new float[][] {{1f}, {2f}}));
    // log of a negative number: NaN loss, finite gradients would still be computable.
    sd.math().log(x.mmul(w)).mean("loss");
    sd.setLossVariables("loss");
    var before = w.getArr().dup();
    var nan = Map.of("x", Nd4j.createFromArray(new float[][] {{-1f, -1f}}));
    assertThatThrownBy(() -> Steps.descend(sd, nan, List.of("loss"), List.of("w"),
        new Adam(0.9, 0.999, 1e-8, 0), 0.1, 0))
        .isInstanceOf(ArithmeticException.class).hasMessageContaining("loss loss is NaN");
    assertThat(w.getArr()).isEqualTo(before);
    // The same step on a finite loss does move the weights: the check above can fail.
    Steps.descend(sd, Map.of("x", Nd4j.createFromArray(new float[][] {{1f, 1f}})),
        List.of("loss"), List.of("w"), new Adam(0.9, 0.999, 1e-8, 0), 0.1, 0);
    assertThat(w.getArr()).isNotEqualTo(before);
  }

  @Test
  void gradientsAboveTheBoundAreScaledTogetherToIt() {
    var a = Nd4j.createFromArray(3f, 0f);
    var b = Nd4j.createFromArray(new float[][] {{0f, 4f}});
    double norm = Steps.clipGlobalNorm(List.of(a, b), 1);
    assertThat(norm).isCloseTo(5, Offset.offset(1e-6));
    // Same direction, global norm 1.
    assertThat(a.getDouble(0)).isCloseTo(0.6, Offset.offset(1e-6));
    assertThat(b.getDouble(0, 1)).isCloseTo(0.8, Offset.offset(1e-6));
  }

  @Test
  void gradientsWithinTheBoundAreLeftAlone() {
    var a = Nd4j.createFromArray(0.3f, -0.4f);
    assertThat(Steps.clipGlobalNorm(List.of(a), 1)).isCloseTo(0.5, Offset.offset(1e-6));
    assertThat(a.toFloatVector()).containsExactly(0.3f, -0.4f);
  }
}
