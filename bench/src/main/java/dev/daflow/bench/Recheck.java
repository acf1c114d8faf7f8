package dev.daflow.bench;

import dev.daflow.bench.Benchmark.Row;
import dev.daflow.bench.Benchmark.Run;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rows measured again, next to the committed rows of the full profile with the same settings. */
final class Recheck {
  private Recheck() {}

  static String against(List<Row> rows, Map<Run, Row> committed) {
    StringBuilder md = new StringBuilder("\n## Against the committed full rows\n\n"
        + "The same runs (pair, method, network, seed, epochs, tuning) in "
        + "`benchmarks-full.rows.jsonl`, measured before the change.\n\n"
        + "| source -> target | method | seed | target acc now | before | difference |\n"
        + "|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      Run run = r.run();
      Row before = committed.get(run);
      md.append(String.format(Locale.ROOT, "| %s -> %s | %s | %d | %.4f | %s | %s |%n",
          run.source(), run.target(), run.method().id(), run.seed(), r.targetAcc(),
          before == null ? "not measured" : String.format(Locale.ROOT, "%.4f", before.targetAcc()),
          before == null ? "-" : String.format(Locale.ROOT, "%+.4f",
              r.targetAcc() - before.targetAcc())));
    }
    return md.toString();
  }
}
