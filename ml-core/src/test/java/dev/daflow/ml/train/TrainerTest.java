package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.eval.Evaluator;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;

class TrainerTest {


  private static double targetAccuracy(TrainingResult r) {
    Model m = new Model(r.inference(), "lenet", r.preprocessing(), ImageDataset.DIGITS, null);
    return Evaluator.evaluate(m, Digits.uspsTest(1000)).accuracy();
  }

  @Test
  void shortDannRunClearsChanceByAWideMargin() throws IOException {
    TrainingConfig c = TrainingConfig.defaults(Method.DANN, "lenet").withEpochs(2).withBatchSize(64);
    List<TrainingListener.Iteration> seen = new ArrayList<>();
    TrainingResult r = new DomainAdaptationTrainer(c, null)
        .fit(Digits.mnistToUsps(4000, new LeNet()), new TrainingListener() {
          @Override
          public void onIteration(Iteration it) {
            seen.add(it);
          }
        }, CancellationToken.none());
    // Chance is 0.10 on ten digits.
    assertThat(targetAccuracy(r)).isGreaterThan(0.5);
    // The listener saw every step with the DANN schedules.
    assertThat(seen).hasSize(2 * 63);
    assertThat(seen.get(0).lambda()).isEqualTo(0.0);
    assertThat(seen.get(seen.size() - 1).lambda()).isGreaterThan(0.99);
    assertThat(seen.get(seen.size() - 1).learningRate()).isLessThan(0.01 / 5);
    assertThat(seen.get(0).losses()).containsKeys(Graphs.LOSS_CLASS, Graphs.LOSS_DOMAIN);
  }

  static List<Tuning> resumableTunings() {
    return List.of(Tuning.DEFAULT, Tuning.DEFAULT.withClassWeighting(true),
        Tuning.DEFAULT.withDomainLearningRateScale(10));
  }

  /**
   * Plain DANN; IWDAN, whose class weights are re-estimated when an epoch starts; and DANN with a
   * second optimiser for its domain head.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("resumableTunings")
  void resumedRunEndsExactlyLikeAnUninterruptedOne(Tuning tuning, @TempDir Path dir)
      throws IOException {
    TrainingConfig c = TrainingConfig.defaults(Method.DANN, "lenet").withEpochs(3).withBatchSize(32)
        .withTuning(tuning);
    DomainData data = Digits.mnistToUsps(320, new LeNet()); // 10 steps per epoch
    SameDiff straight = new DomainAdaptationTrainer(c, dir.resolve("a"))
        .fit(data, new TrainingListener() {}, CancellationToken.none()).inference();

    // Cancel in the middle of epoch 1; the checkpoint of epoch 0 stays.
    Path ckpt = dir.resolve("b");
    Interrupted.runUntil(c, ckpt, data, 14);
    assertThat(new Checkpoints(ckpt).latest()).get().satisfies(
        p -> assertThat(p.getFileName().toString()).isEqualTo("epoch-0000.ckpt"));

    List<Integer> resumedAt = new ArrayList<>();
    SameDiff resumed = new DomainAdaptationTrainer(c, ckpt).fit(data, new TrainingListener() {
      @Override
      public void onStart(Plan plan) {
        resumedAt.add(plan.startEpoch());
      }
    }, CancellationToken.none()).inference();

    assertThat(resumedAt).containsExactly(1);
    for (String p : Graphs.trainable(straight)) {
      assertThat(resumed.getArrForVarName(p)).as(p).isEqualTo(straight.getArrForVarName(p));
    }
  }

  @Test
  void checkpointOfAnotherConfigIsRefused(@TempDir Path dir) throws IOException {
    TrainingConfig c = TrainingConfig.defaults(Method.DANN, "lenet").withEpochs(1).withBatchSize(32);
    DomainData data = Digits.mnistToUsps(64, new LeNet());
    new DomainAdaptationTrainer(c, dir).fit(data, new TrainingListener() {},
        CancellationToken.none());
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
    assertThatThrownBy(() -> new DomainAdaptationTrainer(c.withSeed(7), dir).fit(data,
        new TrainingListener() {}, CancellationToken.none()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("another config");
  }

  @Test
  void addaAdaptsTheTargetEncoderAndKeepsTheSourceClassifier(@TempDir Path dir)
      throws IOException {
    TrainingConfig c = TrainingConfig.defaults(Method.ADDA, "lenet").withPretrainEpochs(2)
        .withEpochs(1).withBatchSize(64);
    DomainData data = Digits.mnistToUsps(3000, new LeNet());
    List<String> phases = new ArrayList<>();
    TrainingResult r = new DomainAdaptationTrainer(c, dir).fit(data, new TrainingListener() {
      @Override
      public void onEpochEnd(Epoch e) {
        phases.add(e.phase());
        assertThat(e.meanLosses()).isNotEmpty();
      }
    }, CancellationToken.none());
    assertThat(phases).containsExactly("pretrain", "pretrain", "adapt");
    assertThat(targetAccuracy(r)).isGreaterThan(0.4);
    // After pretraining (epoch 1): the classifier C is final, M_t is still a copy of M_s.
    var pretrained = Checkpoints.load(dir.resolve("epoch-0001.ckpt")).arrays();
    SameDiff model = r.inference();
    for (String p : Graphs.trainable(model)) {
      var before = pretrained.get("param:pretrain:" + p);
      if (p.startsWith(Graphs.CLASSIFIER + "/")) {
        assertThat(model.getArrForVarName(p)).as(p).isEqualTo(before);
      } else {
        assertThat(model.getArrForVarName(p)).as(p).isNotEqualTo(before);
      }
    }
  }

  @Test
  void configRejectsBadValuesWithClearMessages() {
    TrainingConfig d = TrainingConfig.defaults(Method.DANN, "lenet");
    assertThatThrownBy(() -> d.withEpochs(0)).hasMessageContaining("epochs");
    assertThatThrownBy(() -> d.withBatchSize(-1)).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> TrainingConfig.defaults(Method.DANN, "resnet"))
        .hasMessageContaining("network must be one of").hasMessageContaining("lenet")
        .hasMessageContaining("'resnet'");
    assertThatThrownBy(() -> Method.parse("coral")).hasMessageContaining("dann");
  }

  @Test
  void dannSchedulesFollowThePaper() {
    assertThat(DannSchedule.lambda(0)).isEqualTo(0.0);
    assertThat(DannSchedule.lambda(1)).isCloseTo(0.99991, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(DannSchedule.learningRate(0.01, 0)).isEqualTo(0.01);
    assertThat(DannSchedule.learningRate(0.01, 1)).isCloseTo(0.01 / Math.pow(11, 0.75),
        org.assertj.core.data.Offset.offset(1e-12));
  }
}
