package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.InputShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Guards the reuse of step buffers ({@link StepMemory}) and the in-place optimisers: training with
 * them must give bit for bit the parameters that stock SameDiff gives with fresh buffers for every
 * step and a textbook SGD update. A buffer handed out while still in use, or an update that
 * overwrote what it still reads, would change them.
 */
class StepMemoryTest {
  private static final List<String> LOSSES = List.of(Graphs.LOSS_CLASS, Graphs.LOSS_DOMAIN);

  @ParameterizedTest
  @ValueSource(strings = {"lenet", "adda-mnist64", "dann-svhn", "dann-mnistm"})
  void reusedBuffersTrainExactlyAsFreshOnes(String network) {
    Architecture arch = Architectures.byName(network);
    SameDiff reused = Graphs.dann(arch, 3);
    SameDiff fresh = Graphs.dann(arch, 3);
    List<String> params = Graphs.trainable(reused);
    SgdMomentum sgd = new SgdMomentum(0.9, 1e-3);
    Map<String, INDArray> velocity = new HashMap<>();
    for (int step = 0; step < 3; step++) {
      // New pictures each step, as in training; the domain labels stay the same array.
      Map<String, INDArray> ph = placeholders(arch, 4, step);
      Steps.descend(reused, ph, LOSSES, params, sgd, 0.05, 0);
      textbookStep(fresh, ph, params, velocity, 0.05);
    }
    for (String p : params) {
      assertThat(reused.getArrForVarName(p)).as(p).isEqualTo(fresh.getArrForVarName(p));
    }
    assertThat(reused.getArrForVarName(params.get(0)))
        .isNotEqualTo(Graphs.dann(arch, 3).getArrForVarName(params.get(0)));
  }

  /** Stock gradients (fresh buffers, cache off) and {@code v = 0.9 v + g + wd w; w -= lr v}. */
  private static void textbookStep(SameDiff sd, Map<String, INDArray> ph, List<String> params,
      Map<String, INDArray> velocity, double lr) {
    OutAndGrad out = sd.calculateGradientsAndOutputs(ph, LOSSES, params);
    for (String p : params) {
      INDArray w = sd.getArrForVarName(p);
      INDArray g = out.getGradients().get(p).dup();
      Nd4j.getBlasWrapper().level1().axpy(g.length(), 1e-3, w, g);
      INDArray v = velocity.get(p);
      if (v == null) {
        velocity.put(p, g);
        v = g;
      } else {
        v.muli(0.9).addi(g);
      }
      Nd4j.getBlasWrapper().level1().axpy(v.length(), -lr, v, w);
    }
  }

  private static Map<String, INDArray> placeholders(Architecture arch, int b, int step) {
    InputShape in = arch.input();
    Nd4j.getRandom().setSeed(100 + step);
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, Nd4j.rand(DataType.FLOAT, 2 * b, in.channels(), in.height(), in.width()));
    INDArray y = Nd4j.zeros(DataType.FLOAT, 2 * b, arch.classes());
    for (int i = 0; i < b; i++) {
      y.putScalar(i, (i + step) % arch.classes(), 1f);
    }
    ph.put(Graphs.Y, y);
    ph.put(Graphs.DOMAIN, BatchBuffers.domains(b, b));
    ph.put(Graphs.LAMBDA, Nd4j.scalar(0.5f));
    arch.dropoutMasks(Graphs.ENCODER, Graphs.CLASSIFIER).forEach((name, width) ->
        ph.put(name, Nd4j.ones(DataType.FLOAT, 2 * b, width)));
    return ph;
  }
}
