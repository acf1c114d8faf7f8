package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.bench.Benchmark.Row;
import dev.daflow.bench.Benchmark.Run;
import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Targets}: the verdict table keeps plain DANN and its variants apart. */
class TargetsTest {

  @Test
  void plainAndClassWeightedDannAreJudgedSeparately() {
    List<Row> rows = new ArrayList<>();
    rows.add(row(Method.SOURCE_ONLY, 42, false, 0.96));
    rows.add(row(Method.SOURCE_ONLY, 43, false, 0.962));
    rows.add(row(Method.DANN, 42, false, 0.95));
    rows.add(row(Method.DANN, 43, false, 0.952));
    rows.add(row(Method.DANN, 42, true, 0.97));
    rows.add(row(Method.DANN, 43, true, 0.972));
    rows.add(row(Method.ADDA, 42, false, 0.965));

    String md = Targets.check(rows);

    assertThat(md).contains("| mnist -> usps DANN | >= 0.88 | 0.9510 | yes |");
    assertThat(md).contains("| mnist -> usps DANN beats source-only | > 0.9610 | 0.9510 | **no** |");
    assertThat(md).contains(
        "| mnist -> usps DANN (class weights) beats source-only | > 0.9610 | 0.9710 | yes |");
    assertThat(md).contains("| mnist -> usps DANN (class weights) | >= 0.88 | 0.9710 | yes |");
    assertThat(md).contains("| mnist -> usps ADDA beats source-only | > 0.9610 | 0.9650 | yes |");
    assertThat(md).contains("| usps -> mnist | - | not run | no |");
  }

  private static Row row(Method m, long seed, boolean weighted, double target) {
    Run run = new Run("mnist", "usps", m, "lenet", 3, m == Method.ADDA ? 2 : 0, 0, 128,
        Augmentation.NONE, seed, weighted ? Benchmark.CLASS_WEIGHTED : null);
    return new Row(run, target, 0.98, 60, 3000, null);
  }
}
