package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.daflow.bench.Benchmark.Run;
import dev.daflow.contract.Method;
import dev.daflow.ml.eval.Validator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorStatsTest {
  private static final Run DANN = new Run("mnist", "usps", Method.DANN, "lenet", 3, 0, 0);
  private static final Run MCC = new Run("mnist", "usps", Method.MCC, "lenet", 3, 0, 0);

  /** A checkpoint with an IM and an entropy value; {@code collapsed} sets the guard. */
  private static Checkpoint cp(Run run, int epoch, double acc, double im, double entropy,
      boolean collapsed) {
    Map<String, Double> v = new LinkedHashMap<>();
    if (!Double.isNaN(im)) {
      v.put("im", im);
    }
    v.put("entropy", entropy);
    v.put(Validator.COLLAPSED, collapsed ? 1.0 : 0.0);
    return new Checkpoint(run, epoch, "train", acc, v, null);
  }

  @Test
  void spearmanGivesTiesTheirMeanRank() {
    // y's ranks: 1, 2, 3.5, 5, 3.5 against 1..5. Deviations from the mean rank 3: x -2 -1 0 1 2,
    // y -2 -1 0.5 2 0.5; sum of products 8, sums of squares 10 and 9.5: rho = 8 / sqrt(95).
    assertThat(ValidatorStats.spearman(new double[] {1, 2, 3, 4, 5},
        new double[] {5, 6, 7, 8, 7})).isCloseTo(8 / Math.sqrt(95), within(1e-12));
    // Only ranks count: a monotone transform of one side changes nothing.
    assertThat(ValidatorStats.spearman(new double[] {0.1, 0.2, 10, 11},
        new double[] {3, 5, 8, 100})).isCloseTo(1, within(1e-12));
    assertThat(ValidatorStats.spearman(new double[] {1, 2, 3, 4},
        new double[] {4, 3, 2, 1})).isCloseTo(-1, within(1e-12));
  }

  @Test
  void spearmanIsUndefinedForFewOrConstantValues() {
    assertThat(ValidatorStats.spearman(new double[] {1, 2}, new double[] {2, 1})).isNaN();
    assertThat(ValidatorStats.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    assertThat(ValidatorStats.spearman(new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.5}))
        .isNaN();
  }

  @Test
  void rhoOrientsLowerIsBetterValidators() {
    List<Checkpoint> run = List.of(cp(DANN, 1, 0.80, 0.1, 0.9, false),
        cp(DANN, 2, 0.85, 0.2, 0.5, false), cp(DANN, 3, 0.90, 0.3, 0.1, false));
    // IM rises with accuracy, entropy falls: both rank the models as their accuracy does.
    assertThat(ValidatorStats.rho(run, Validator.IM)).isCloseTo(1, within(1e-12));
    assertThat(ValidatorStats.rho(run, Validator.ENTROPY)).isCloseTo(1, within(1e-12));
    // No value of BNM anywhere: undefined.
    assertThat(ValidatorStats.rho(run, Validator.BNM)).isNaN();
  }

  @Test
  void choosesTheBestRatedEpochTiesToTheLaterOne() {
    List<Checkpoint> run = List.of(cp(DANN, 1, 0.80, 0.5, 0.3, false),
        cp(DANN, 2, 0.85, 0.9, 0.1, false), cp(DANN, 3, 0.70, 0.9, 0.2, false));
    assertThat(ValidatorStats.choose(run, Validator.IM).epoch()).isEqualTo(3);
    assertThat(ValidatorStats.choose(run, Validator.ENTROPY).epoch()).isEqualTo(2);
    // Loss against the oracle (0.85): IM picks 0.70, entropy the oracle's epoch.
    assertThat(ValidatorStats.withinRunLosses(List.of(run),
        r -> ValidatorStats.choose(r, Validator.IM))[0]).isCloseTo(0.15, within(1e-12));
    assertThat(ValidatorStats.withinRunLosses(List.of(run),
        r -> ValidatorStats.choose(r, Validator.ENTROPY))[0]).isCloseTo(0, within(1e-12));
  }

  @Test
  void aCollapsedModelOrAMissingValueNeverWins() {
    List<Checkpoint> run = List.of(cp(DANN, 1, 0.60, 0.2, 0.3, false),
        cp(DANN, 2, 0.10, 2.0, 0.01, true), cp(DANN, 3, 0.65, Double.NaN, 0.2, false));
    assertThat(ValidatorStats.choose(run, Validator.IM).epoch()).isEqualTo(1);
    assertThat(ValidatorStats.choose(run, Validator.ENTROPY).epoch()).isEqualTo(3);
    // Only collapsed candidates: the best of them.
    List<Checkpoint> all = List.of(cp(DANN, 1, 0.1, 0.2, 0.3, true),
        cp(DANN, 2, 0.1, 0.4, 0.3, true));
    assertThat(ValidatorStats.choose(all, Validator.IM).epoch()).isEqualTo(2);
  }

  @Test
  void acrossRunsChoosesEachRunsEpochThenTheBestRun() {
    List<Checkpoint> dann = List.of(cp(DANN, 1, 0.90, 0.5, 0.3, false),
        cp(DANN, 2, 0.92, 0.6, 0.2, false));
    List<Checkpoint> mcc = List.of(cp(MCC, 1, 0.95, 0.4, 0.4, false),
        cp(MCC, 2, 0.80, 0.7, 0.05, false));
    // IM: DANN's epoch 2 (0.6), MCC's epoch 2 (0.7); MCC's wins: 0.80 against the oracle 0.95.
    assertThat(ValidatorStats.acrossRunsLoss(List.of(dann, mcc), Validator.IM))
        .isCloseTo(0.15, within(1e-12));
    // Entropy chooses the same epochs and run.
    assertThat(ValidatorStats.acrossRunsLoss(List.of(dann, mcc), Validator.ENTROPY))
        .isCloseTo(0.15, within(1e-12));
    // A tie across runs keeps the earlier run, as the evaluator keeps its serving version
    // against a challenger that is not strictly better; within a run, the later epoch.
    List<Checkpoint> tie = List.of(cp(MCC, 1, 0.70, 0.6, 0.4, false),
        cp(MCC, 2, 0.75, 0.6, 0.4, false));
    assertThat(ValidatorStats.chooseAcrossRuns(List.of(dann, tie), Validator.IM))
        .isEqualTo(dann.get(1));
    assertThat(ValidatorStats.chooseAcrossRuns(List.of(tie, dann), Validator.IM))
        .isEqualTo(tie.get(1));
    assertThat(ValidatorStats.mean(new double[] {0.1, Double.NaN, 0.3}))
        .isCloseTo(0.2, within(1e-12));
    assertThat(ValidatorStats.max(new double[] {0.1, Double.NaN, 0.3})).isEqualTo(0.3);
  }

  /** A checkpoint right on {@code right} of 729 held-out source pictures, with a DEV. */
  private static Checkpoint held(Run run, int epoch, double acc, int right, double dev) {
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("source_val_accuracy", right / 729.0);
    v.put("dev", dev);
    v.put(Validator.COLLAPSED, 0.0);
    v.put("source_val_pictures", 729.0);
    return new Checkpoint(run, epoch, "train", acc, v, null);
  }

  @Test
  void acrossRunsHeldOutAccuracyTiesWithinItsSamplingErrorAreDecidedByDev() {
    // Within each run the higher held-out accuracy (as before); across runs DANN's 727 of 729
    // and MCC's 726 are a tie (the band is about 6 pictures), and MCC's lower DEV wins it.
    List<Checkpoint> dann = List.of(held(DANN, 1, 0.90, 720, 0.30),
        held(DANN, 2, 0.91, 727, 0.20));
    List<Checkpoint> mcc = List.of(held(MCC, 1, 0.95, 726, 0.10),
        held(MCC, 2, 0.94, 725, 0.05));
    assertThat(ValidatorStats.chooseAcrossRuns(List.of(dann, mcc),
        Validator.SOURCE_VAL_ACCURACY)).isEqualTo(mcc.get(0));
    assertThat(ValidatorStats.chooseAcrossRuns(List.of(mcc, dann),
        Validator.SOURCE_VAL_ACCURACY)).isEqualTo(mcc.get(0));
    // Beyond the band the higher accuracy wins whatever DEV says.
    List<Checkpoint> low = List.of(held(MCC, 1, 0.99, 700, 0.01));
    assertThat(ValidatorStats.chooseAcrossRuns(List.of(dann, low),
        Validator.SOURCE_VAL_ACCURACY)).isEqualTo(dann.get(1));
  }

  @Test
  void rowsRoundTripAndTheReportNamesEveryValidator(@TempDir Path dir) throws Exception {
    List<Checkpoint> rows = List.of(cp(DANN, 1, 0.90, 0.5, 0.3, false),
        cp(DANN, 2, 0.92, 0.6, 0.2, false), cp(DANN, 3, 0.93, 0.65, 0.1, false),
        cp(MCC, 1, 0.95, 0.4, 0.4, false), cp(MCC, 2, 0.80, 0.7, 0.05, false),
        cp(MCC, 3, 0.85, 0.8, 0.04, false));
    Path file = dir.resolve("v.rows.jsonl");
    ValidatorBenchmark.append(file, rows.subList(0, 3));
    ValidatorBenchmark.append(file, rows.subList(3, 6));
    Map<Run, List<Checkpoint>> read = ValidatorBenchmark.read(file);
    assertThat(read).containsOnlyKeys(DANN, MCC);
    assertThat(read.get(MCC)).containsExactlyElementsOf(rows.subList(3, 6));

    String md = ValidatorBenchmark.report(rows, List.of(DANN, MCC), "validators", "cmd",
        "v.rows.jsonl", ValidatorBenchmark.FULL);
    for (Validator v : Validator.values()) {
      assertThat(md).contains("| `" + v.key() + "` |");
    }
    // IM: within-run rho 1 and 0.5 (MCC: 0.4 0.7 0.8 against 0.95 0.80 0.85 is -0.5); mean 0.25.
    // Epoch loss: DANN 0, MCC 0.95 - 0.85 = 10 points; mean 5, worst 10. Across methods: MCC's
    // epoch 3 (0.8) beats DANN's (0.65): 0.95 - 0.85 = 10 points.
    // Entropy (0.3 0.2 0.1 / 0.4 0.05 0.04) chooses the same epochs and run as IM; of equal
    // losses the first measured validator in enum order is named (the unmeasured ones never).
    assertThat(md).contains("Least mean loss choosing a run's epoch: `entropy` (5.00 points); "
        + "choosing among methods: `entropy` (10.00 points).");
    assertThat(md).contains("| `im` | higher | 6 |").contains("| 0.25 | 5.00 / 10.00 | 10.00 / "
        + "10.00 |");
  }
}
