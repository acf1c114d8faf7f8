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
    TrainerThroughput.Result r = new TrainerThroughput.Result(c, 94, 80, 1800, 1900,
        List.of(2000.0, 1600.0), List.of(1100.0, 1300.0), 0.05, w);
    assertThat(r.rawMean()).isEqualTo(1800);
    assertThat(r.ratio()).isEqualTo(1.0);
    // 80 steps of 256 pictures over 18.5 CPU-seconds of the trainer.
    assertThat(r.perCpuSecond()).isCloseTo(80 * 256 / 18.5, within(1e-9));
    assertThat(r.cpuRatio()).isCloseTo(80 * 256 / 18.5 / 1200, within(1e-9));
    assertThat(r.evaluatorIdle()).isTrue();
    List<String> table = TrainerThroughput.table(List.of(r));
    assertThat(table).hasSize(3);
    assertThat(table.get(2)).startsWith("| lenet | mnist -> usps (12,000/domain) | 94 | 1800 |"
        + " 1900 | 2000, 1600 | **100%** | 1107 / 1100, 1300 (92%) | **8.1%** | 5.0% | 1.85 |"
        + " 1.0% of a core (idle) | 0.03 | 0.11 |");
  }
}
