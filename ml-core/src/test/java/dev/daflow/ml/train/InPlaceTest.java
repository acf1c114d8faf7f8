package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InPlaceTest {

  @Test
  void axpyAddsAlphaTimesXToYInPlaceAndLeavesXAlone() {
    INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, -4}});
    INDArray y = Nd4j.createFromArray(new float[][] {{10, 20}, {30, 40}});
    INDArray sameY = y;
    InPlace.axpy(-0.5, x, y);
    assertThat(sameY.toFloatMatrix()).isEqualTo(new float[][] {{9.5f, 19}, {28.5f, 42}});
    assertThat(x.toFloatMatrix()).isEqualTo(new float[][] {{1, 2}, {3, -4}});
  }

  @Test
  void axpyOfALargeArrayMatchesTheElementwiseFormula() {
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, 1000, 300);
    INDArray y = Nd4j.rand(DataType.FLOAT, 1000, 300);
    INDArray expected = y.add(x.mul(0.01f));
    InPlace.axpy(0.01, x, y);
    assertThat(y.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-6);
  }

  @Test
  void axpyRefusesArraysOfDifferentShapes() {
    assertThatThrownBy(() -> InPlace.axpy(1, Nd4j.zeros(DataType.FLOAT, 2, 3),
        Nd4j.zeros(DataType.FLOAT, 3, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3]");
  }
}
