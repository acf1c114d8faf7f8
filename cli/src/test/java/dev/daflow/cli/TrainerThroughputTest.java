package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.daflow.events.TrainingProgress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of the trainer-throughput report, on made-up figures (nothing timed). */
class TrainerThroughputTest {
  private static TrainingProgress progress(int step, double imagesPerSecond) {
    return new TrainingProgress("j", 0, 1, step, 94, step, "adapt", Map.of(), 0, 0.01,
        imagesPerSecond);
  }

  @Test
  void steadyRateLeavesTheSlowFirstStepsOut() {
    // Step 0 took 1 s (256 pictures), then every step 0.1 s: after step 20, 3 s for 21 steps.
    double first = 256 / 1.0;
    double later = 21 * 256 / 3.0;
    assertThat(TrainerThroughput.steadyRate(progress(0, first), progress(20, later), 256))
        .isCloseTo(2560, within(1e-6));
    assertThatThrownBy(() -> TrainerThroughput.steadyRate(progress(20, 1), progress(20, 1), 256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void procStatFieldsAreCountedAfterTheCommandName() {
    // A command name with spaces and parentheses, as a thread may have.
    String line = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0"
        + " 40 0 100 1000000 5000";
    assertThat(CpuSampler.parseStat(line)).isEqualTo(new CpuSampler.Ticks(1234, 567));
  }

  @Test
  void tableRowsGiveTheRatioAgainstTheMeanRawSpeedAndTheShares() {
    TrainerThroughput.Case c = new TrainerThroughput.Case("lenet", "mnist", "usps", 2000, 12000,
        40);
    CpuSampler.Window w = new CpuSampler.Window(10, Map.of(
        "trainer-service", new double[] {17, 1.5}, "evaluator-service", new double[] {0.1, 0},
        "kafka", new double[] {0.2, 0.1}), 1.0, 0.1, 2);
    TrainerThroughput.Result r = new TrainerThroughput.Result(c, 1, 94, 80, 1800, 1900,
        List.of(2000.0, 1600.0), List.of(1100.0, 1300.0), 0.05, w, 4.25);
    assertThat(r.rawMean()).isEqualTo(1800);
    assertThat(r.ratio()).isEqualTo(1.0);
    // 80 steps of 256 pictures over 18.5 CPU-seconds of the trainer.
    assertThat(r.perCpuSecond()).isCloseTo(80 * 256 / 18.5, within(1e-9));
    assertThat(r.cpuRatio()).isCloseTo(80 * 256 / 18.5 / 1200, within(1e-9));
    assertThat(r.evaluatorIdle()).isTrue();
    List<String> table = TrainerThroughput.table(List.of(r));
    assertThat(table).hasSize(3);
    assertThat(table.get(2)).startsWith("| lenet | 1 | mnist -> usps (12,000/domain) | 94 | 1800 |"
        + " 1900 | 2000, 1600 | **100%** | 1107 / 1100, 1300 (92%) | **8.1%** | 5.0% | 1.85 |"
        + " 1.0% of a core (idle) | 0.03 | 0.11 | 4.3 |");
  }

  @Test
  void epochsEndIsTheTimeToCompletionLessTheStepsAfterTheLastProgressEvent() {
    // Step 80 of 85 (0-based): steps 81..84 remain, 4 x 256 pictures at 2,048/s = 0.5 s.
    TrainingProgress last = new TrainingProgress("j", 0, 1, 80, 85, 80, "adapt", Map.of(), 0.5,
        0.01, 2048);
    assertThat(TrainerThroughput.endSeconds(1_000_000_000L, 4_000_000_000L, last, 2048))
        .isCloseTo(2.5, within(1e-9));
  }

  @Test
  void summaryTakesTheMedianOverRoundsAgainstTheBounds() {
    TrainerThroughput.Case c = new TrainerThroughput.Case("lenet", "mnist", "usps", 2000, 12000,
        40);
    // Kernel shares 10%, 20%, 12% of the trainer's CPU; ratios 0.80, 0.95, 0.90.
    List<TrainerThroughput.Result> rounds = List.of(
        round(c, 1, 1600, 0.10), round(c, 2, 1900, 0.20), round(c, 3, 1800, 0.12));
    assertThat(TrainerThroughput.summary(rounds)).containsExactly("- **lenet**: the epoch keeps"
        + " **90%** of the raw step (median of 3 rounds: 80%, 95%, 90%), required >= 85%: met;"
        + " the trainer's kernel share **12.0%** (median), required < 15%: met.");
    assertThat(TrainerThroughput.summary(rounds.subList(0, 1)).get(0))
        .contains("**80%**", "required >= 85%: **not met**", "**10.0%**");
    assertThat(TrainerThroughput.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
  }

  private static TrainerThroughput.Result round(TrainerThroughput.Case c, int n, double ips,
      double kernel) {
    CpuSampler.Window w = new CpuSampler.Window(10, Map.of(
        "trainer-service", new double[] {10 * (1 - kernel), 10 * kernel}), 1.0, 0.1, 2);
    return new TrainerThroughput.Result(c, n, 94, 80, ips, ips, List.of(2000.0, 2000.0),
        List.of(1000.0, 1000.0), 0.1, w, 1.0);
  }
}
