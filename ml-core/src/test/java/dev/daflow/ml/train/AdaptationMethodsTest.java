package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Method;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The adaptation methods added after DANN and ADDA, each through the shared trainer: a short run
 * on a few hundred pictures trains without a non-finite loss, and a run cancelled in the middle
 * and resumed from its checkpoint ends with every weight equal to an uninterrupted run's.
 */
class AdaptationMethodsTest {


  /** 3 epochs of 10 steps (SHOT, SHOT-IM: 1 source epoch, then 2 target epochs), batch 32. */
  private static TrainingConfig config(Method m) {
    TrainingConfig c = TrainingConfig.defaults(m, "lenet").withEpochs(3).withBatchSize(32);
    return m.usesPretraining() ? c.withPretrainEpochs(1).withEpochs(2) : c;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Method.class, names = {"CDAN", "CDAN_E", "MCC", "SHOT_IM", "SHOT", "MEAN_TEACHER"})
  void resumedRunEndsExactlyLikeAnUninterruptedOne(Method method, @TempDir Path dir)
      throws IOException {
    TrainingConfig c = config(method);
    DomainData data = Digits.mnistToUsps(320, new LeNet()); // 10 steps per epoch
    List<Map<String, Double>> losses = new ArrayList<>();
    TrainingResult straight = new DomainAdaptationTrainer(c, dir.resolve("a"))
        .fit(data, new TrainingListener() {
          @Override
          public void onIteration(Iteration it) {
            losses.add(it.losses());
          }
        }, CancellationToken.none());
    // The smoke part: 30 steps, every loss finite (a step also fails on one), and the model's
    // predictions on target pictures too.
    assertThat(losses).hasSize(30);
    losses.forEach(l -> assertThat(l.values()).isNotEmpty().allMatch(Double::isFinite));
    float[] probs = predictions(straight, data);
    for (float p : probs) {
      assertThat(p).isFinite();
    }

    // Cancel in the middle of epoch 2; the checkpoint of epoch 1 stays.
    Path ckpt = dir.resolve("b");
    Interrupted.runUntil(c, ckpt, data, 24);
    assertThat(new Checkpoints(ckpt).latest()).get().satisfies(
        p -> assertThat(p.getFileName().toString()).isEqualTo("epoch-0001.ckpt"));

    List<Integer> resumedAt = new ArrayList<>();
    SameDiff resumed = new DomainAdaptationTrainer(c, ckpt).fit(data, new TrainingListener() {
      @Override
      public void onStart(Plan plan) {
        resumedAt.add(plan.startEpoch());
      }
    }, CancellationToken.none()).inference();

    assertThat(resumedAt).containsExactly(2);
    List<String> params = Graphs.trainable(straight.inference());
    assertThat(params).isNotEmpty();
    for (String p : params) {
      assertThat(resumed.getArrForVarName(p)).as(p)
          .isEqualTo(straight.inference().getArrForVarName(p));
    }
  }

  /**
   * SHOT-IM's adaptation moves the encoder and never the source hypothesis (Liang et al. 2020,
   * Sec. 3.2): the classifier after adaptation equals the one at the end of source training, in
   * the exported model and in the adaptation graph's own copy.
   */
  @org.junit.jupiter.api.Test
  void shotImKeepsTheSourceClassifierAndAdaptsTheEncoder(@TempDir Path dir) throws IOException {
    TrainingConfig c = TrainingConfig.defaults(Method.SHOT_IM, "lenet").withPretrainEpochs(1)
        .withEpochs(1).withBatchSize(32);
    DomainData data = Digits.mnistToUsps(320, new LeNet());
    List<String> phases = new ArrayList<>();
    List<Double> im = new ArrayList<>();
    TrainingResult r = new DomainAdaptationTrainer(c, dir).fit(data, new TrainingListener() {
      @Override
      public void onIteration(Iteration it) {
        if (it.phase().equals("adapt")) {
          im.add(it.losses().get(dev.daflow.ml.nn.Shot.LOSS_IM));
        }
      }

      @Override
      public void onEpochEnd(Epoch e) {
        phases.add(e.phase());
      }
    }, CancellationToken.none());
    assertThat(phases).containsExactly("pretrain", "adapt");
    assertThat(im).hasSize(10).allMatch(Double::isFinite);
    var pretrained = Checkpoints.load(dir.resolve("epoch-0000.ckpt")).arrays();
    var adapted = Checkpoints.load(dir.resolve("epoch-0001.ckpt")).arrays();
    SameDiff model = r.inference();
    int classifier = 0;
    int encoder = 0;
    for (String p : Graphs.trainable(model)) {
      INDArray before = pretrained.get("param:pretrain:" + p);
      if (p.startsWith(Graphs.CLASSIFIER + "/")) {
        assertThat(model.getArrForVarName(p)).as(p).isEqualTo(before);
        assertThat(adapted.get("param:adapt:" + p)).as(p).isEqualTo(before);
        classifier++;
      } else {
        assertThat(model.getArrForVarName(p)).as(p).isNotEqualTo(before);
        encoder++;
      }
    }
    assertThat(classifier).isEqualTo(2);
    assertThat(encoder).isGreaterThan(0);
  }

  /**
   * After an epoch of ADDA's or SHOT-IM's source pre-training, the epoch's model is the source
   * network being pretrained (its encoder and classifier as the checkpoint holds them), the
   * source-only model adaptation starts from: not the adaptation graph's encoder, which is not
   * initialised from it before the adaptation begins. After the adaptation's epochs it is the
   * adapted model, the one the run returns.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Method.class, names = {"ADDA", "SHOT_IM"})
  void aPretrainingEpochsModelIsTheSourceNetwork(Method method, @TempDir Path dir)
      throws IOException {
    TrainingConfig c = TrainingConfig.defaults(method, "lenet").withPretrainEpochs(1)
        .withEpochs(1).withBatchSize(32);
    Map<String, SameDiff> models = new java.util.LinkedHashMap<>();
    TrainingResult r = new DomainAdaptationTrainer(c, dir).fit(Digits.mnistToUsps(320, new LeNet()),
        new TrainingListener() {
          @Override
          public void onEpochEnd(Epoch e) {
            models.put(e.phase(), e.inference().get());
          }
        }, CancellationToken.none());
    assertThat(models).containsOnlyKeys("pretrain", "adapt");
    var pretrained = Checkpoints.load(dir.resolve("epoch-0000.ckpt")).arrays();
    SameDiff source = models.get("pretrain");
    List<String> params = Graphs.trainable(source);
    assertThat(params).anyMatch(p -> p.startsWith(Graphs.ENCODER + "/"))
        .anyMatch(p -> p.startsWith(Graphs.CLASSIFIER + "/"));
    for (String p : params) {
      assertThat(source.getArrForVarName(p)).as(p).isEqualTo(pretrained.get("param:pretrain:" + p));
      assertThat(models.get("adapt").getArrForVarName(p)).as(p)
          .isEqualTo(r.inference().getArrForVarName(p));
    }
    // adaptation moved the encoder away from the source network's
    assertThat(params).filteredOn(p -> p.startsWith(Graphs.ENCODER + "/"))
        .anyMatch(p -> !r.inference().getArrForVarName(p).equals(source.getArrForVarName(p)));
  }

  /** Class probabilities of the trained model on 64 target pictures. */
  static float[] predictions(TrainingResult r, DomainData data) {
    int n = 64;
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    var s = data.preprocessing().input();
    float[] x = new float[n * s.size()];
    data.preprocessing().fill(data.target().pictures(), indices, 0, n, x, 0);
    INDArray in = Nd4j.create(x, new long[] {n, s.channels(), s.height(), s.width()}, 'c');
    return r.inference().output(Map.of(Graphs.X, in), Graphs.PROBS).get(Graphs.PROBS)
        .data().asFloat();
  }
}
