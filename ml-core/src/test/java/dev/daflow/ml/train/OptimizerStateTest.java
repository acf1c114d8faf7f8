package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Optimiser state is checkpointed under its solver's name, and checkpoints written before that
 * (Adam's state under {@code sgd}) still resume exactly.
 */
class OptimizerStateTest {

  @Test
  void formerKeys() {
    assertThat(OptimizerState.legacyKey("adam")).isEqualTo("sgd");
    assertThat(OptimizerState.legacyKey("adam-domain")).isEqualTo("sgd-domain");
    assertThat(OptimizerState.legacyKey("sgd")).isEqualTo("sgd");
    assertThat(OptimizerState.legacyKey("sgd-domain")).isEqualTo("sgd-domain");
    assertThat(OptimizerState.legacyKey("encoder")).isEqualTo("encoder");
  }

  /** Source-only keys its optimiser by its solver too (the restore path is DANN's, below). */
  @Test
  void sourceOnlyKeysItsOptimiserBySolver() {
    DomainData data = Digits.mnistToUsps(32, new LeNet());
    TrainingConfig sgd = TrainingConfig.defaults(Method.SOURCE_ONLY, "lenet");
    TrainingConfig adam = sgd.withTuning(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM));
    assertThat(new SourceOnlyProcedure(sgd, new LeNet(), data).optimizers())
        .containsOnlyKeys("sgd");
    assertThat(new SourceOnlyProcedure(adam, new LeNet(), data).optimizers())
        .containsOnlyKeys("adam");
  }

  /**
   * Trains DANN with Adam and its domain head at 10x (so both keys, {@code adam} and {@code
   * adam-domain}) 2 epochs straight; then resumes at epoch 1 from its epoch-0 checkpoint, once as
   * written and once rewritten as older versions wrote it (the same state under {@code sgd},
   * {@code sgd-domain}): both end with the straight run's weights, which they reach only with
   * Adam's moments restored.
   */
  @Test
  void adamStateResumesFromItsOwnKeyAndFromTheFormerSgdKey(@TempDir Path dir)
      throws IOException {
    // Adam's step size is the learning rate itself: 1e-3, not SGD's 1e-2 (DANN diverges there).
    TrainingConfig base = TrainingConfig.defaults(Method.DANN, "lenet").withLearningRate(1e-3)
        .withTuning(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM).withDomainLearningRateScale(10));
    TrainingConfig c = base.withEpochs(2).withBatchSize(32);
    DomainData data = Digits.mnistToUsps(160, new LeNet()); // 5 steps per epoch
    SameDiff straight = new DomainAdaptationTrainer(c, dir.resolve("straight"))
        .fit(data, new TrainingListener() {}, CancellationToken.none()).inference();
    Checkpoints.State first = Checkpoints.load(dir.resolve("straight/epoch-0000.ckpt"));
    assertThat(first.arrays().keySet()).anyMatch(k -> k.startsWith("opt:adam:"))
        .noneMatch(k -> k.startsWith("opt:sgd"));
    assertThat(first.arrays().keySet()).anyMatch(k -> k.startsWith("opt:adam-domain:"));

    // The old format: Adam's entries under "sgd" ("opt:adam-domain:x" -> "opt:sgd-domain:x").
    Map<String, INDArray> old = new LinkedHashMap<>();
    first.arrays().forEach((k, a) ->
        old.put(k.startsWith("opt:adam") ? "opt:sgd" + k.substring("opt:adam".length()) : k, a));
    new Checkpoints(dir.resolve("old")).save(
        new Checkpoints.State(first.epoch(), first.iteration(), first.config(), old));
    Files.createDirectories(dir.resolve("new"));
    Files.copy(dir.resolve("straight/epoch-0000.ckpt"), dir.resolve("new/epoch-0000.ckpt"));

    for (String folder : List.of("new", "old")) {
      List<Integer> resumedAt = new ArrayList<>();
      SameDiff resumed = new DomainAdaptationTrainer(c, dir.resolve(folder))
          .fit(data, new TrainingListener() {
            @Override
            public void onStart(Plan plan) {
              resumedAt.add(plan.startEpoch());
            }
          }, CancellationToken.none()).inference();
      assertThat(resumedAt).as(folder).containsExactly(1);
      for (String p : Graphs.trainable(straight)) {
        assertThat(resumed.getArrForVarName(p)).as(folder + " " + p)
            .isEqualTo(straight.getArrForVarName(p));
      }
    }
  }

}
