package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Layers#instanceNorm} and the {@code adda-mnist64-in} network built on it. */
class InstanceNormTest {

  @Test
  void eachPicturesChannelGetsMeanZeroAndVarianceOne() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 5, 5);
    new Layers(sd, "s", new Random(1)).instanceNorm(x).rename("y");
    Nd4j.getRandom().setSeed(3);
    INDArray in = Nd4j.rand(DataType.FLOAT, 3, 2, 5, 5).muli(7).addi(2);
    INDArray y = sd.output(Map.of("x", in), "y").get("y");
    for (int n = 0; n < 3; n++) {
      for (int c = 0; c < 2; c++) {
        INDArray plane = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n),
            org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup();
        assertThat(plane.meanNumber().doubleValue()).isCloseTo(0, Offset.offset(1e-5));
        assertThat(plane.varNumber().doubleValue() * 24 / 25).isCloseTo(1, Offset.offset(1e-3));
      }
    }
  }

  /**
   * The normalised network ignores a picture's per-channel brightness and contrast: scaling and
   * shifting each channel of the input leaves the class probabilities unchanged.
   */
  @Test
  void normalisedNetworkIgnoresPerChannelContrastAndShift() {
    Architecture a = Architectures.byName("adda-mnist64-in");
    SameDiff sd = Graphs.inference(a, 5);
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
    INDArray shifted = x.dup();
    float[][] affine = {{0.5f, 0.3f}, {2f, -1f}, {1.5f, 0.1f}};
    for (int c = 0; c < 3; c++) {
      INDArray ch = shifted.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.point(c));
      ch.muli(affine[c][0]).addi(affine[c][1]);
    }
    INDArray p = sd.output(Map.of(Graphs.X, x), Graphs.PROBS).get(Graphs.PROBS).dup();
    INDArray q = sd.output(Map.of(Graphs.X, shifted), Graphs.PROBS).get(Graphs.PROBS).dup();
    assertThat(q.sub(p).amaxNumber().doubleValue()).isLessThan(1e-4);
    // ...whereas the plain network does not.
    SameDiff plain = Graphs.inference(Architectures.byName("adda-mnist64"), 5);
    INDArray r = plain.output(Map.of(Graphs.X, x), Graphs.PROBS).get(Graphs.PROBS).dup();
    INDArray s = plain.output(Map.of(Graphs.X, shifted), Graphs.PROBS).get(Graphs.PROBS).dup();
    assertThat(s.sub(r).amaxNumber().doubleValue()).isGreaterThan(1e-4);
  }
}
