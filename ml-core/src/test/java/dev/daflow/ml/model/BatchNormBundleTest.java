package dev.daflow.ml.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Method;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNetBn;
import dev.daflow.ml.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A bundle of a batch-normalised network serves with the target's statistics (AdaBN). */
class BatchNormBundleTest {
  private static final String BN = Graphs.ENCODER + "/bn/";

  @Test
  void theLoadedModelNormalisesWithTheTargetsStatistics(@TempDir Path dir) throws IOException {
    LeNetBn a = new LeNetBn();
    ImageDataset source = Digits.mnistTrain(64);
    Preprocessing pre = Preprocessing.fit(source, a.input(), a.framing(), Scaling.UNIT);
    SameDiff graph = Graphs.inference(a, 7);
    Nd4j.getRandom().setSeed(4);
    graph.getArrForVarName(BN + "running_mean/target").assign(
        Nd4j.rand(DataType.FLOAT, 1, 256).subi(0.5));
    graph.getArrForVarName(BN + "running_var/target").assign(
        Nd4j.rand(DataType.FLOAT, 1, 256).addi(0.5));
    graph.getArrForVarName(BN + "running_mean/source").assign(3);
    ModelCard card = new ModelCard(Method.DANN.id(), Method.DANN.paper(),
        TrainingConfig.defaults(Method.DANN, "lenet-bn"), null, null, Map.of(), 1, 1,
        Map.of(), "2026-01-01T00:00:00Z").withNormalisation("target statistics (AdaBN)");
    Model model = new Model(graph, a.name(), pre, source.classNames(), card);
    Path file = dir.resolve("m.bundle");
    ModelBundle.save(model, file);
    Model loaded = ModelBundle.load(file);

    INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28);
    INDArray served = loaded.probabilities(x).dup();
    assertThat(served).isEqualTo(model.probabilities(x).dup());
    assertThat(loaded.card().normalisation()).isEqualTo("target statistics (AdaBN)");

    // The output depends on the target's statistics, and not on the source's.
    SameDiff target = Graphs.inference(a, 7);
    Graphs.copyModel(graph, target);
    target.getArrForVarName(BN + "running_mean/source").assign(-5);
    assertThat(target.output(Map.of(Graphs.X, x), Graphs.PROBS).get(Graphs.PROBS))
        .isEqualTo(served);
    target.getArrForVarName(BN + "running_mean/target").assign(0);
    INDArray other = target.output(Map.of(Graphs.X, x), Graphs.PROBS).get(Graphs.PROBS);
    assertThat(other.sub(served).amaxNumber().doubleValue()).isGreaterThan(1e-4);
  }
}
