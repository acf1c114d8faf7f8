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

/**
 * {@link Graphs#crossEntropy} on logits a confident model produces: a row whose logits are 200
 * apart, where ND4J's own log_softmax gives -inf and the loss NaN.
 */
class CrossEntropyTest {

  @Test
  void aConfidentRowHasItsFiniteLossAndGradient() {
    SameDiff sd = SameDiff.create();
    SDVariable z = sd.var("z", Nd4j.createFromArray(new float[][] {
        {200f, 0f, -5f}, {1f, 2f, 3f}}));
    SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 3);
    Graphs.crossEntropy(sd, "ce", y, z);
    sd.setLossVariables("ce");
    // Row 1 labelled as its second class, row 2 as its third.
    INDArray labels = Nd4j.createFromArray(new float[][] {{0, 1, 0}, {0, 0, 1}});

    var out = sd.calculateGradientsAndOutputs(Map.of("y", labels), java.util.List.of("ce"),
        java.util.List.of("z"));

    // By hand, in doubles: -log softmax(z)_y = logsumexp(z) - z_y.
    double row1 = logSumExp(200, 0, -5) - 0;
    double row2 = logSumExp(1, 2, 3) - 3;
    assertThat(out.getOutputs().get("ce").getDouble(0)).isCloseTo((row1 + row2) / 2,
        within(1e-4));
    // d/dz = (softmax(z) - y) / rows.
    INDArray g = out.getGradients().get("z");
    assertThat(g.getDouble(0, 0)).isCloseTo(0.5, within(1e-6));
    assertThat(g.getDouble(0, 1)).isCloseTo(-0.5, within(1e-6));
    assertThat(g.getDouble(0, 2)).isCloseTo(0.0, within(1e-6));
    double sum = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertThat(g.getDouble(1, 0)).isCloseTo(Math.exp(1) / sum / 2, within(1e-6));
    assertThat(g.getDouble(1, 2)).isCloseTo((Math.exp(3) / sum - 1) / 2, within(1e-6));
  }

  private static double logSumExp(double... v) {
    double max = java.util.Arrays.stream(v).max().orElseThrow();
    return max + Math.log(java.util.Arrays.stream(v).map(x -> Math.exp(x - max)).sum());
  }
}
