package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.LeNet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The contract's {@link Tuning} in training: how each knob is applied, and that configs stored
 * before a knob existed still read (its limits are tested with the contract).
 */
class TuningTest {

  @Test
  void defaultIsThePapersRecipe() {
    TrainingConfig c = TrainingConfig.defaults(Method.DANN, "lenet");
    assertThat(c.tuning()).isEqualTo(Tuning.DEFAULT);
    assertThat(Tuning.DEFAULT.solver()).isEqualTo(Tuning.Solver.SGD);
    assertThat(Tuning.DEFAULT.clipNorm()).isZero();
    assertThat(Tuning.DEFAULT.lambdaMax()).isEqualTo(1.0);
    assertThat(c.withTuning(null).tuning()).isEqualTo(Tuning.DEFAULT);
    assertThat(c.optimizer()).isInstanceOf(SgdMomentum.class);
    assertThat(c.withTuning(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM)).optimizer())
        .isInstanceOf(Adam.class);
  }

  /** Checkpoints and model cards written before tuning existed still read, as the default. */
  @Test
  void configJsonWithoutTuningReadsAsTheDefault() throws IOException {
    ObjectMapper json = new ObjectMapper();
    TrainingConfig c = TrainingConfig.defaults(Method.DANN, "lenet").withTuning(
        Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM).withClipNorm(5).withLambdaMax(0.3)
            .withClassWeighting(true));
    assertThat(json.readValue(json.writeValueAsString(c), TrainingConfig.class)).isEqualTo(c);
    ObjectNode old = json.valueToTree(c);
    old.remove("tuning");
    assertThat(json.treeToValue(old, TrainingConfig.class).tuning()).isEqualTo(Tuning.DEFAULT);
    ObjectNode beforeScale = json.valueToTree(c);
    ((ObjectNode) beforeScale.get("tuning")).remove("domainLearningRateScale");
    assertThat(json.treeToValue(beforeScale, TrainingConfig.class).tuning()
        .domainLearningRateScale()).isEqualTo(1.0);
    ObjectNode beforeWeighting = json.valueToTree(c);
    ((ObjectNode) beforeWeighting.get("tuning")).remove("classWeighting");
    assertThat(json.treeToValue(beforeWeighting, TrainingConfig.class).tuning().classWeighting())
        .isFalse();
  }

  /**
   * One SGD step from the same start: with the domain head at 10 times the learning rate, its
   * parameters move 10 times as far and the encoder's exactly as far.
   */
  @Test
  void domainHeadLearnsAtItsOwnRate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    ImageDataset source = Digits.mnistTrain(32);
    Preprocessing pre = Preprocessing.fit(source, new LeNet().input(), new LeNet().framing(),
        Scaling.UNIT);
    DomainData data = DomainData.of(source, Digits.uspsTrain(32), pre);
    TrainingConfig base = TrainingConfig.defaults(Method.DANN, "lenet").withEpochs(1)
        .withBatchSize(32);
    org.nd4j.autodiff.samediff.SameDiff start = dev.daflow.ml.nn.Graphs.dann(new LeNet(),
        base.seed());
    var plain = Checkpoints.load(train(base, data, dir.resolve("plain"))).arrays();
    var scaled = Checkpoints.load(train(base.withTuning(
        Tuning.DEFAULT.withDomainLearningRateScale(10)), data, dir.resolve("scaled"))).arrays();
    String headName = "domain/fc1/W";
    String head = "param:main:" + headName;
    String encoder = "param:main:encoder/fc3/W";
    assertThat(scaled).containsKey(head).containsKey(encoder);
    var initial = start.getArrForVarName(headName);
    double headPlain = plain.get(head).sub(initial).norm2Number().doubleValue();
    double headScaled = scaled.get(head).sub(initial).norm2Number().doubleValue();
    assertThat(headPlain).isPositive();
    assertThat(headScaled / headPlain).isCloseTo(10, Offset.offset(0.01));
    assertThat(scaled.get(encoder)).isEqualTo(plain.get(encoder));
    assertThat(scaled.keySet()).anyMatch(k -> k.startsWith("opt:sgd-domain:"));
  }

  private static java.nio.file.Path train(TrainingConfig c, DomainData data,
      java.nio.file.Path dir) throws IOException {
    new DomainAdaptationTrainer(c, dir).fit(data, new TrainingListener() {},
        CancellationToken.none());
    return new Checkpoints(dir).latest().orElseThrow();
  }

  /** From its second epoch on, IWDAN's weighted domain loss trains other parameters than DANN's. */
  @Test
  void classWeightingChangesTrainingFromTheSecondEpoch() throws IOException {
    ImageDataset source = Digits.mnistTrain(256);
    Preprocessing pre = Preprocessing.fit(source, new LeNet().input(), new LeNet().framing(),
        Scaling.UNIT);
    DomainData data = DomainData.of(source, Digits.uspsTrain(256), pre);
    TrainingConfig plain = TrainingConfig.defaults(Method.DANN, "lenet").withEpochs(2)
        .withBatchSize(32);
    TrainingConfig weighted = plain.withTuning(Tuning.DEFAULT.withClassWeighting(true));
    List<List<Double>> losses = new ArrayList<>();
    for (TrainingConfig c : List.of(plain, weighted)) {
      List<Double> domainLoss = new ArrayList<>();
      new DomainAdaptationTrainer(c, null).fit(data, new TrainingListener() {
        @Override
        public void onIteration(Iteration it) {
          domainLoss.add(it.losses().get(dev.daflow.ml.nn.Graphs.LOSS_DOMAIN));
        }
      }, CancellationToken.none());
      losses.add(domainLoss);
    }
    // Epoch 0 (8 steps) weighs every class 1: the same steps; epoch 1 differs.
    assertThat(losses.get(1).subList(0, 8)).isEqualTo(losses.get(0).subList(0, 8));
    assertThat(losses.get(1).subList(8, 16)).isNotEqualTo(losses.get(0).subList(8, 16));
  }

  @Test
  void dannScalesLambdaAndTrainsWithAdamAndClipping() throws IOException {
    ImageDataset source = Digits.mnistTrain(256);
    Preprocessing pre = Preprocessing.fit(source, new LeNet().input(), new LeNet().framing(),
        Scaling.UNIT);
    DomainData data = DomainData.of(source, Digits.uspsTrain(256), pre);
    TrainingConfig c = TrainingConfig.defaults(Method.DANN, "lenet").withEpochs(1)
        .withBatchSize(32).withLearningRate(1e-3).withTuning(Tuning.DEFAULT
            .withSolver(Tuning.Solver.ADAM).withClipNorm(1).withLambdaMax(0.25));
    List<TrainingListener.Iteration> seen = new ArrayList<>();
    new DomainAdaptationTrainer(c, null).fit(data, new TrainingListener() {
      @Override
      public void onIteration(Iteration it) {
        seen.add(it);
      }
    }, CancellationToken.none());
    assertThat(seen).hasSize(8);
    TrainingListener.Iteration last = seen.get(7);
    assertThat(last.lambda()).isCloseTo(0.25 * DannSchedule.lambda(7 / 8.0), Offset.offset(1e-9));
    assertThat(last.learningRate()).isCloseTo(DannSchedule.learningRate(1e-3, 7 / 8.0),
        Offset.offset(1e-12));
    assertThat(last.losses().values()).allSatisfy(v -> assertThat(v).isFinite());
  }
}
