package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Steps#clipGlobalNorm}: gradient clipping by the global norm. */
class StepsTest {

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
