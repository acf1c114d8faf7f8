package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.bench.Benchmark.Row;
import dev.daflow.bench.Benchmark.Run;
import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RowLog}: benchmark rows kept across runs, including rows logged before tuning. */
class RowLogTest {

  @Test
  void rowsLoggedBeforeTuningExistedMatchThePlansDefaultRuns(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("rows.jsonl");
    Files.writeString(file, "{\"run\": {\"source\": \"mnist\", \"target\": \"usps\", \"method\": "
        + "\"DANN\", \"network\": \"lenet\", \"epochs\": 3, \"pretrainEpochs\": 0, \"trainLimit\":"
        + " 0, \"batchSize\": 128, \"augmentation\": \"NONE\", \"seed\": 43}, \"targetAcc\": "
        + "0.9576, \"sourceAcc\": 0.9811, \"seconds\": 122.0, \"imagesPerSecond\": 2962.0, "
        + "\"failure\": null}\n");
    Run planned = new Run("mnist", "usps", Method.DANN, "lenet", 3, 0, 0).withSeed(43);
    assertThat(RowLog.read(file)).containsOnlyKeys(planned);
    assertThat(RowLog.read(file).get(planned).targetAcc()).isEqualTo(0.9576);
  }

  @Test
  void tunedRowsRoundTripAndAreToldApart(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rows.jsonl");
    Run tuned = new Run("mnist64", "mnist64-bg", Method.DANN, "adda-mnist64-in", 10, 0, 6000, 64,
        Augmentation.COLOUR, 42, Tuning.DEFAULT.withClipNorm(5));
    RowLog.append(file, new Row(tuned, 0.9, 0.96, 100, 200, null));
    Run untuned = new Run("mnist64", "mnist64-bg", Method.DANN, "adda-mnist64-in", 10, 0, 6000,
        64, Augmentation.COLOUR, 42, null);
    assertThat(RowLog.read(file)).containsOnlyKeys(tuned).doesNotContainKey(untuned);
  }

  @Test
  void theTableNamesDeparturesFromThePapersRecipe() {
    assertThat(Benchmark.tuning(Tuning.DEFAULT)).isEqualTo("-");
    assertThat(Benchmark.tuning(Tuning.DEFAULT.withClipNorm(5))).isEqualTo("clip 5");
    assertThat(Benchmark.tuning(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM)
        .withLambdaMax(0.3))).isEqualTo("adam, lambda max 0.3");
    assertThat(Benchmark.tuning(Benchmark.CLASS_WEIGHTED)).isEqualTo("class weights");
    assertThat(Benchmark.tuning(Benchmark.STRONGER_ADVERSARY)).isEqualTo("domain lr x10");
  }

  /** Rows logged with tuning but before class weighting existed read as unweighted. */
  @Test
  void tuningLoggedBeforeClassWeightingReadsAsUnweighted(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rows.jsonl");
    Files.writeString(file, "{\"run\": {\"source\": \"mnist64\", \"target\": \"mnist64-bg\", "
        + "\"method\": \"DANN\", \"network\": \"adda-mnist64-in\", \"epochs\": 10, "
        + "\"pretrainEpochs\": 0, \"trainLimit\": 6000, \"batchSize\": 64, \"augmentation\": "
        + "\"COLOUR\", \"seed\": 42, \"tuning\": {\"solver\": \"SGD\", \"clipNorm\": 5.0, "
        + "\"lambdaMax\": 1.0}}, \"targetAcc\": 0.9218, \"sourceAcc\": 0.9775, \"seconds\": 808, "
        + "\"imagesPerSecond\": 149, \"failure\": null}\n");
    Run planned = new Run("mnist64", "mnist64-bg", Method.DANN, "adda-mnist64-in", 10, 0, 6000,
        64, Augmentation.COLOUR, 42, Tuning.DEFAULT.withClipNorm(5));
    assertThat(RowLog.read(file)).containsOnlyKeys(planned);
  }
}
