package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The step-speed section of docs/benchmarks.md: replaced in place, kept by the accuracy run. */
class SpeedBenchmarkTest {
  private static final String SECTION = SpeedBenchmark.BEGIN + "\n## DANN training step speed\n\n"
      + "new table\n" + SpeedBenchmark.END + "\n";

  @Test
  void replacesOnlyTheMarkedSection() {
    String old = "# Benchmarks\n\nintro\n\n" + SpeedBenchmark.BEGIN + "\nold table\n"
        + SpeedBenchmark.END + "\n## Accuracy\n\nrows\n";
    String updated = SpeedBenchmark.replaceSection(old, SECTION);
    assertThat(updated).isEqualTo("# Benchmarks\n\nintro\n\n" + SECTION + "## Accuracy\n\nrows\n");
    assertThat(SpeedBenchmark.section(updated)).isEqualTo(SECTION);
  }

  @Test
  void appendsTheSectionToAFileWithoutOne() {
    assertThat(SpeedBenchmark.replaceSection("# Benchmarks\n\nintro\n", SECTION))
        .isEqualTo("# Benchmarks\n\nintro\n\n" + SECTION);
    assertThat(SpeedBenchmark.section("# Benchmarks\n")).isNull();
  }

  @Test
  void statsAreMinMedianMax() {
    assertThat(SpeedBenchmark.stats(List.of(3.0, 1.0, 2.0))).containsExactly(1.0, 2.0, 3.0);
    assertThat(SpeedBenchmark.stats(List.of(4.0, 1.0))).containsExactly(1.0, 2.5, 4.0);
  }
}
