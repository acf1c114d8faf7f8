package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayersTest {

  /** Regression: {@code sd.nn().linear} + ReLU gave different results on repeated runs. */
  @Test
  void denseLayersGiveTheSameOutputOnRepeatedRuns() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 20);
    Layers l = new Layers(sd, "s", new Random(3));
    l.dense("out", l.denseRelu("fc", x, 20, 16), 16, 4).rename("y");
    INDArray in = Nd4j.rand(DataType.FLOAT, 8, 20);
    INDArray first = sd.output(Map.of("x", in), "y").get("y").dup();
    INDArray second = sd.output(Map.of("x", in), "y").get("y").dup();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void sameSeedGivesSameInitialParameters() {
    SameDiff a = Graphs.inference(new LeNet(), 7);
    SameDiff b = Graphs.inference(new LeNet(), 7);
    SameDiff c = Graphs.inference(new LeNet(), 8);
    assertThat(b.getArrForVarName("encoder/conv1/W")).isEqualTo(a.getArrForVarName("encoder/conv1/W"));
    assertThat(c.getArrForVarName("encoder/conv1/W")).isNotEqualTo(a.getArrForVarName("encoder/conv1/W"));
  }

  @Test
  void everyArchitectureProducesLogitsOfItsInputShape() {
    for (String name : Architectures.names()) {
      Architecture arch = Architectures.byName(name);
      SameDiff sd = Graphs.inference(arch, 1);
      InputShape s = arch.input();
      INDArray x = Nd4j.rand(DataType.FLOAT, 2, s.channels(), s.height(), s.width());
      INDArray probs = sd.output(Map.of(Graphs.X, x), Graphs.PROBS).get(Graphs.PROBS);
      assertThat(probs.shape()).as(name).containsExactly(2, arch.classes());
      assertThat(probs.sum(1).getDouble(0)).as(name).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }
}
