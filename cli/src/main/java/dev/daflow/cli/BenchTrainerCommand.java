package dev.daflow.cli;

import dev.daflow.bench.BenchPages;
import dev.daflow.local.Services.Service;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow bench-trainer}: the platform trainer's epoch throughput per network against the
 * raw DANN step speed ({@link TrainerThroughput}), on a local platform of its own; writes a
 * Markdown report (bench/trainer.sh: docs/benchmarks-trainer.md).
 */
@Command(name = "bench-trainer", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure the platform trainer's own epoch throughput per network (lenet,"
        + " dann-svhn), its user and kernel CPU time and the evaluator's idleness during the"
        + " epoch, against the raw DANN step speed in a JVM with the trainer's options and"
        + " environment. Starts a local platform of its own; writes Markdown. Needs"
        + " bench/target/daflow-bench.jar (bench/trainer.sh builds it)."})
final class BenchTrainerCommand extends DaflowCommand {
  @Option(names = "--root", paramLabel = "DIR",
      description = "The platform's folder. Default: runs/bench-trainer in the repository.")
  Path root;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "The Markdown report to write.")
  Path report;

  @Option(names = "--networks", paramLabel = "NAME", split = ",",
      defaultValue = "lenet,dann-svhn",
      description = "Networks to measure. Default: ${DEFAULT-VALUE}.")
  List<String> networks;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
      description = "Measured epochs per network, each between two raw step measurements"
          + " (N + 1 raw runs, alternating with the epochs). Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(names = "--command", paramLabel = "TEXT", defaultValue = "bin/daflow bench-trainer",
      description = "The command line to quote in the report.")
  String commandLine;

  @Mixin
  DatasetOptions datasets;

  @Override
  int execute() throws Exception {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be >= 1");
    }
    List<TrainerThroughput.Case> cases = new ArrayList<>();
    for (String n : networks) {
      cases.add(TrainerThroughput.CASES.stream().filter(c -> c.network().equals(n)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no case for network " + n + " (known: "
              + TrainerThroughput.CASES.stream().map(TrainerThroughput.Case::network).toList()
              + ")")));
    }
    PrintWriter out = out();
    Path dir = (root != null ? root : Repository.resolve("runs/bench-trainer"))
        .toAbsolutePath().normalize();
    DemoCommand.clean(dir);
    List<TrainerThroughput.Result> results;
    String started = java.time.LocalDateTime.now().withNano(0).toString();
    try (LocalPlatform platform = LocalPlatform.start(dir, datasets.mirror(), datasets.cache,
        out)) {
      List<String> names = new ArrayList<>();
      cases.forEach(c -> {
        if (!names.contains(c.source()) && !c.source().equals(TrainerThroughput.SVHN32)) {
          names.add(c.source());
        }
        if (!names.contains(c.target()) && !c.target().equals(TrainerThroughput.SVHN32)) {
          names.add(c.target());
        }
      });
      DemoCommand.ingest(platform, names, out);
      if (cases.stream().anyMatch(c -> c.target().equals(TrainerThroughput.SVHN32))) {
        TrainerThroughput.uploadSvhn32(platform, datasets.mirror(), out);
      }
      results = new TrainerThroughput(platform, dir, rounds, out).measure(cases);
    }
    write(results, started);
    out.println("wrote " + report);
    return 0;
  }

  private void write(List<TrainerThroughput.Result> results, String started) throws Exception {
    Map<String, String> env = Service.TRAINER.launchEnvironment(System.getenv("OMP_NUM_THREADS"));
    List<String> lines = new ArrayList<>(List.of("# Trainer throughput on the platform", "",
        String.format(Locale.ROOT, "Made by `%s` on %s (started %s). Machine: %d cores, Java %s;"
            + " every process (broker, S3 server, the four services, the raw-step JVM, this"
            + " client) on the same machine.", commandLine, LocalDate.now(), started,
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")), "",
        "Trainer and raw-step JVM alike (local-stack's `Services.Service.TRAINER`): options `"
            + String.join(" ", Service.TRAINER.jvmOptions()) + "`, environment `"
            + String.join(" ", env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList()) + "`.", ""));
    lines.addAll(TrainerThroughput.table(results));
    lines.add("");
    lines.addAll(TrainerThroughput.summary(results));
    lines.addAll(List.of("",
        "- **round**: each network's measured epochs, each a job of one epoch, alternate with"
            + " raw step runs (raw 1, epoch 1, raw 2, epoch 2, ...); a round's ratio is against"
            + " the raw runs just before and just after its epoch, and the verdicts above take"
            + " the median over the rounds: one epoch's figure on this shared machine moves by"
            + " 10-15 points from run to run.",
        "- **platform epoch img/s**: the trainer's own figure, `epoch-bundle.saved`'s"
            + " `imagesPerSecond` (source+target pictures of the epoch over its wall time, first"
            + " step included). DANN, batch 128+128, one epoch, after a warm-up job of the same"
            + " network on the same trainer.",
        "- **steady img/s**: the trainer's rate between its first and last `training.progress`"
            + " of the epoch (one every 20 steps; from their `step` and `imagesPerSecond`).",
        "- **raw step img/s**: `StepSpeed.measure` (the step `bench/speed.sh` times; synthetic"
            + " batch, `3 x N` warm-up steps, then N timed) run by `dev.daflow.bench.RawDannStep`"
            + " in a JVM with the trainer's options and environment, while the platform is idle,"
            + " just before and just after the round's epoch; the ratio is against their mean.",
        "- **img per CPU-s**: pictures per CPU-second of the process (user + kernel, all its"
            + " threads): the trainer's over the CPU window below, the raw JVM's over all"
            + " `4 x N` steps of its measured call (after a short call that warms the JIT and"
            + " oneDNN up). Other processes taking cores away slow both the trainer and the raw"
            + " step down, at different moments; work per CPU-second depends less on them, so"
            + " this ratio shows better than the wall-clock one whether the trainer does more per"
            + " picture than the raw step.",
        "- **CPU columns**: from `/proc/<pid>/stat` (utime, stime) and `/proc/stat`, sampled"
            + " every 250 ms, over the window between the epoch's first and last"
            + " `training.progress`. Kernel CPU: stime over utime+stime of the trainer process."
            + " Raw JVM kernel CPU: the same over the raw JVM's measured call (mean of the runs)."
            + " The evaluator counts as idle below "
            + Math.round(100 * TrainerThroughput.IDLE_CORE_SHARE) + "% of a core: the measured job"
            + " has one epoch, so there is nothing to evaluate until it"
            + " ends, and the warm-up job's evaluation and promotion were awaited before. Rest of"
            + " platform: broker, S3 server, data-service and inference-service. Other processes:"
            + " the machine's busy cores (`/proc/stat`) less the platform's processes, i.e."
            + " whatever else ran on the machine (this client, other users).",
        "- **epoch's end**: what the trainer does between the epoch's last step and"
            + " `training.completed`: the checkpoint, the epoch's model bundle, their uploads to"
            + " the object store and the events. Estimated from the client's receipt times: from"
            + " the last `training.progress` to `training.completed`, less the steps after that"
            + " event at the steady rate.",
        ""));
    BenchPages.writeKeepingNotes(report, lines);
  }
}
