package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Method;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNetBn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code lenet-bn} through the shared trainer: every method trains it, the running statistics
 * move in the steps (the trainer's wiring, not only the layer's), the exported model carries the
 * target's, a resumed run is weight- and statistics-exact, and AdaBN's pass gives the target's
 * population statistics.
 */
class BatchNormTrainingTest {
  private static final String BN = Graphs.ENCODER + "/bn/";


  /** 2 epochs of 5 steps (pretraining methods: 1 source epoch, then 1 target epoch), batch 32. */
  private static TrainingConfig config(Method m) {
    TrainingConfig c = TrainingConfig.defaults(m, "lenet-bn").withEpochs(2).withBatchSize(32);
    return m.usesPretraining() ? c.withPretrainEpochs(1).withEpochs(1) : c;
  }

  /**
   * Every method trains lenet-bn: finite losses and predictions, and the exported model's target
   * statistics are no longer the initial mean 0 and variance 1: something set them (the target
   * batches of the steps, or AdaBN's pass after source-only training). 10 steps, not
   * AdaptationMethodsTest's 30: the CI has 2 cores.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Method.class)
  void everyMethodTrainsTheBatchNormalisedNetwork(Method method, @TempDir Path dir)
      throws IOException {
    DomainData data = Digits.mnistToUsps(160, new LeNetBn());
    List<Map<String, Double>> losses = new ArrayList<>();
    TrainingResult r = new DomainAdaptationTrainer(config(method), dir).fit(data,
        new TrainingListener() {
          @Override
          public void onIteration(Iteration it) {
            losses.add(it.losses());
          }
        }, CancellationToken.none());
    assertThat(losses).hasSize(10);
    losses.forEach(l -> assertThat(l.values()).isNotEmpty().allMatch(Double::isFinite));
    for (float p : AdaptationMethodsTest.predictions(r, data)) {
      assertThat(p).isFinite();
    }
    INDArray mean = r.inference().getArrForVarName(BN + "running_mean/target");
    INDArray var = r.inference().getArrForVarName(BN + "running_var/target");
    assertThat(mean.amaxNumber().doubleValue()).isGreaterThan(1e-3);
    assertThat(var.sub(1).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    if (method.usesTarget() && !method.usesPretraining()) {
      // Joint batches (DANN, CDAN, MCC, the mean teacher) update each domain's statistics from
      // its own half: MNIST's and USPS's running means differ.
      INDArray source = r.inference().getArrForVarName(BN + "running_mean/source");
      assertThat(source.sub(mean).amaxNumber().doubleValue()).isGreaterThan(1e-2);
    }
  }

  @Test
  void aResumedRunEndsWithTheSameWeightsAndStatistics(@TempDir Path dir) throws IOException {
    TrainingConfig c = config(Method.DANN);
    DomainData data = Digits.mnistToUsps(160, new LeNetBn()); // 5 steps per epoch
    SameDiff straight = new DomainAdaptationTrainer(c, dir.resolve("a"))
        .fit(data, new TrainingListener() {}, CancellationToken.none()).inference();
    Path ckpt = dir.resolve("b");
    Interrupted.runUntil(c, ckpt, data, 7);
    SameDiff resumed = new DomainAdaptationTrainer(c, ckpt)
        .fit(data, new TrainingListener() {}, CancellationToken.none()).inference();
    List<String> params = Graphs.parameters(straight);
    assertThat(params).contains(BN + "running_mean/target", BN + "running_var/source");
    for (String p : params) {
      assertThat(resumed.getArrForVarName(p)).as(p).isEqualTo(straight.getArrForVarName(p));
    }
  }

  /**
   * AdaBN's pass in batches of 256 gives the statistics of all the pictures at once (the law of
   * total variance): 300 pictures, a batch of 256 and one of 44, against one batch of 300.
   */
  @Test
  void adaBnEstimatesTheTargetsPopulationStatistics() {
    Architecture a = new LeNetBn();
    DomainData data = Digits.mnistToUsps(300, new LeNetBn());
    SameDiff model = Graphs.inference(a, 3);
    AdaBn.estimateTarget(model, a, 3, data.target().pictures(), data.preprocessing(), 300);

    SameDiff whole = BatchNorm.targetStatisticsGraph(a, 3);
    Graphs.copyModel(model, whole);
    int n = 300;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    var s = data.preprocessing().input();
    float[] x = new float[n * s.size()];
    data.preprocessing().fill(data.target().pictures(), idx, 0, n, x, 0);
    INDArray in = Nd4j.create(x, new long[] {n, s.channels(), s.height(), s.width()}, 'c');
    Map<String, INDArray> o = whole.output(Map.of(Graphs.X, in),
        BN + "batch_mean/target", BN + "batch_var/target");
    assertThat(o.get(BN + "batch_var/target").amaxNumber().doubleValue()).isGreaterThan(1e-3);
    assertThat(model.getArrForVarName(BN + "running_mean/target")
        .sub(o.get(BN + "batch_mean/target")).amaxNumber().doubleValue()).isLessThan(1e-4);
    assertThat(model.getArrForVarName(BN + "running_var/target")
        .sub(o.get(BN + "batch_var/target")).amaxNumber().doubleValue()).isLessThan(1e-3);
  }
}
