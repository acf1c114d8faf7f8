package dev.daflow.cli;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.local.ChildProcess;
import dev.daflow.local.Services.Service;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The platform trainer's own epoch throughput per network, next to the raw DANN step speed of
 * the same network in a JVM with the trainer's options and environment (the report of {@code
 * daflow bench-trainer}, docs/benchmarks-trainer.md).
 *
 * <p>Per network: a short warm-up job (the trainer's JIT and oneDNN's kernels; its evaluation and
 * promotion awaited, so that the evaluator and inference are idle afterwards), then the measured
 * job: DANN, one epoch, batch 128+128. Its throughput is the trainer's: {@code
 * epoch-bundle.saved.imagesPerSecond} (the whole epoch, first step included) and the steady rate
 * between its first and last {@code training.progress} (both from the trainer's clock). Over
 * that window {@link CpuSampler} reads the user and kernel CPU time of the trainer, the
 * evaluator, the rest of the platform and the machine. The job has one epoch, so the evaluator
 * has nothing to evaluate until it ends: its CPU over the window says it was idle. Then, with the
 * platform idle, {@code dev.daflow.bench.RawDannStep} measures the raw step ({@code
 * StepSpeed#measure}) in a JVM started as local-stack starts the trainer ({@link
 * Service#jvmOptions()}, {@link Service#launchEnvironment}).
 */
final class TrainerThroughput {
  /** The uploaded 3x32x32 dataset of the dann-svhn case. */
  static final String SVHN32 = "svhn32";
  static final int BATCH = 128;
  /** The bounds: the epoch at >= 85% of the raw step, kernel CPU under 15%. */
  static final double MIN_RATIO = 0.85;
  static final double MAX_KERNEL = 0.15;
  /** A process using less than this share of one core over the window counts as idle. */
  static final double IDLE_CORE_SHARE = 0.05;

  /**
   * One network's measurement.
   *
   * @param warmupLimit pictures per domain of the warm-up job
   * @param trainLimit pictures per domain of the measured job (its epoch: the larger domain)
   * @param rawSteps timed steps of the raw measurement (after 3x as many of warm-up)
   */
  record Case(String network, String source, String target, int warmupLimit, int trainLimit,
      int rawSteps) {}

  /**
   * lenet on MNIST->USPS (12,000 pictures: 94 steps); dann-svhn on MNIST (made 3x32x32 by the
   * network's preprocessing) -> {@value #SVHN32}, 32x32 RGB pictures uploaded as a dataset
   * (3,000 pictures: 24 steps; the target's 300 pictures are sampled again and again).
   */
  static final List<Case> CASES = List.of(
      new Case("lenet", "mnist", "usps", 2000, 12000, 40),
      new Case("dann-svhn", "mnist", SVHN32, 512, 3000, 6));

  /**
   * A measured network.
   *
   * @param round which of the network's measured epochs (1-based)
   * @param steps steps of the measured epoch
   * @param windowSteps steps between the first and last progress events (the CPU window)
   * @param epochIps the trainer's epoch throughput, source+target pictures/s
   * @param steadyIps the trainer's throughput between its first and last progress events
   * @param raw the raw step speeds measured just before and just after the epoch, pictures/s
   * @param rawPerCpuSecond those raw JVMs' pictures per CPU-second of their process
   * @param rawKernel those raw JVMs' kernel share of their CPU time (mean)
   * @param window CPU over the window
   * @param endSeconds the epoch's end: seconds from its last step to {@code training.completed}
   *     (the checkpoint, the epoch's bundle, their uploads, the events), estimated as the time
   *     from the last {@code training.progress} to {@code training.completed} less the steps
   *     after that progress event at the steady rate
   */
  record Result(Case c, int round, int steps, int windowSteps, double epochIps, double steadyIps,
      List<Double> raw, List<Double> rawPerCpuSecond, double rawKernel,
      CpuSampler.Window window, double endSeconds) {
    double rawMean() {
      return mean(raw);
    }

    double ratio() {
      return epochIps / rawMean();
    }

    /** The trainer's pictures per CPU-second of its process over the window. */
    double perCpuSecond() {
      return windowSteps * 2.0 * BATCH / window.cpuSeconds(Service.TRAINER.module());
    }

    /**
     * {@link #perCpuSecond()} over the raw JVMs': the ratio of work done per CPU time, which
     * other processes taking CPU away from both sway less than the wall-clock {@link #ratio()}.
     */
    double cpuRatio() {
      return perCpuSecond() / mean(rawPerCpuSecond);
    }

    private static double mean(List<Double> v) {
      return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    boolean evaluatorIdle() {
      return window.coreShare(Service.EVALUATOR.module()) < IDLE_CORE_SHARE;
    }
  }

  private final LocalPlatform platform;
  private final Path root;
  private final int rounds;
  private final PrintWriter out;

  /**
   * @param root where the raw runs' logs go ({@code <root>/logs/raw-<network>-<n>.log})
   * @param rounds measured epochs per network, each between two raw measurements (so {@code
   *     rounds + 1} raw runs, alternating with the epochs)
   */
  TrainerThroughput(LocalPlatform platform, Path root, int rounds, PrintWriter out) {
    this.platform = platform;
    this.root = root;
    this.rounds = rounds;
    this.out = out;
  }

  /** Uploads {@value #SVHN32}: the SVHN-format files of the mirror's {@code svhn-format/}. */
  static void uploadSvhn32(LocalPlatform platform, Path mirror, PrintWriter out)
      throws Exception {
    Path dir = mirror == null ? null : mirror.resolve("svhn-format");
    if (dir == null || !Files.isRegularFile(dir.resolve("train_32x32.mat"))) {
      throw new IllegalStateException("the dann-svhn case uploads svhn-format/train_32x32.mat and"
          + " test_32x32.mat of the dataset folder (--datasets), and " + dir + " has none");
    }
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      for (String name : List.of("train_32x32.mat", "test_32x32.mat")) {
        z.putNextEntry(new ZipEntry(name));
        z.write(Files.readAllBytes(dir.resolve(name)));
        z.closeEntry();
      }
    }
    ServiceClient data = platform.client(Service.DATA, Duration.ofMinutes(5));
    ServiceClient.Reply r = ServiceClient.require(data.post("datasets/upload/" + SVHN32
        + "?format=svhn-mat-archive", "application/zip", zip.toByteArray()), 200, 201);
    out.printf(Locale.ROOT, "  %s: uploaded%s%n", SVHN32, IngestCommand.summary(r));
    out.flush();
  }

  /** Measures each case in turn. */
  List<Result> measure(List<Case> cases) throws Exception {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (ChildProcess p : platform.stack().processes()) {
      pids.put(p.name(), p.pid());
    }
    if (!pids.containsKey(Service.TRAINER.module())) {
      throw new IllegalStateException("no " + Service.TRAINER.module() + " process in the stack");
    }
    List<Result> results = new ArrayList<>();
    try (CpuSampler cpu = new CpuSampler(pids, Duration.ofMillis(250));
        EventStream events = new EventStream(platform.kafka(),
            List.of(Topics.TRAINING, Topics.MODELS))) {
      awaitAssigned(events);
      for (Case c : cases) {
        results.addAll(measure(c, cpu, events));
      }
    }
    return results;
  }

  private List<Result> measure(Case c, CpuSampler cpu, EventStream events) throws Exception {
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    String model = "bench-trainer-" + c.network();
    out.printf(Locale.ROOT, "%s: %s -> %s%n", c.network(), c.source(), c.target());
    out.flush();

    // Warm-up, then wait until the evaluator has evaluated (and promoted) it.
    String warmup = model + "-warmup-" + stamp;
    publish(warmup, model, c, c.warmupLimit());
    Map<Class<?>, EventEnvelope<DaflowEvent>> seen = new LinkedHashMap<>();
    awaitEnd(events, warmup, seen, null);
    await(events, warmup, ModelEvaluated.class, Duration.ofMinutes(10), seen, null);
    await(events, warmup, ModelPromoted.class, Duration.ofSeconds(20), seen, null);
    out.printf(Locale.ROOT, "  warm-up job %s trained, evaluated%s%n", warmup,
        seen.containsKey(ModelPromoted.class) ? ", promoted" : "");
    out.flush();
    awaitServed(seen); // inference loads the promoted version before the raw step runs

    // Raw runs and measured epochs alternate: raw 1, epoch 1, raw 2, epoch 2, ..., raw N+1.
    List<Double> raw = new ArrayList<>();
    List<Double> rawPerCpu = new ArrayList<>();
    List<Double> rawKernel = new ArrayList<>();
    raw(c, 1, raw, rawPerCpu, rawKernel);
    List<Result> results = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Epoch e = epoch(c, model + "-" + stamp + "-" + round, cpu, events);
      raw(c, round + 1, raw, rawPerCpu, rawKernel);
      results.add(new Result(c, round, e.steps(), e.windowSteps(), e.ips(), e.steady(),
          List.copyOf(raw.subList(round - 1, round + 1)),
          List.copyOf(rawPerCpu.subList(round - 1, round + 1)),
          (rawKernel.get(round - 1) + rawKernel.get(round)) / 2, e.window(), e.end()));
    }
    return results;
  }

  /** One measured epoch: the figures of {@link Result} that come from the trainer. */
  private record Epoch(int steps, int windowSteps, double ips, double steady,
      CpuSampler.Window window, double end) {}

  /** Trains {@code job} (one epoch), waits for its evaluation and promotion; its figures. */
  private Epoch epoch(Case c, String job, CpuSampler cpu, EventStream events) throws Exception {
    publish(job, "bench-trainer-" + c.network(), c, c.trainLimit());
    List<TrainingProgress> progress = new ArrayList<>();
    List<Long> received = new ArrayList<>();
    long[] completedAt = {0};
    Map<Class<?>, EventEnvelope<DaflowEvent>> seen = new LinkedHashMap<>();
    awaitEnd(events, job, seen, (e, at) -> {
      if (e instanceof TrainingCompleted) {
        completedAt[0] = at;
      }
      if (e instanceof TrainingProgress p && p.epoch() == 0) {
        progress.add(p);
        received.add(at);
        out.printf(Locale.ROOT, "  step %d/%d: %.0f img/s%n", p.step() + 1, p.stepsPerEpoch(),
            p.imagesPerSecond());
        out.flush();
      }
    });
    EpochBundleSaved epoch = (EpochBundleSaved) seen.get(EpochBundleSaved.class).event();
    if (progress.size() < 2) {
      throw new IllegalStateException(job + ": " + progress.size() + " progress event(s) in its"
          + " epoch; the measurement needs two (train limit " + c.trainLimit() + " too small for"
          + " the trainer's progress-every?)");
    }
    TrainingProgress first = progress.get(0);
    TrainingProgress last = progress.get(progress.size() - 1);
    CpuSampler.Window window = cpu.between(received.get(0), received.get(received.size() - 1));
    double steady = steadyRate(first, last, 2 * BATCH);
    double end = endSeconds(received.get(received.size() - 1), completedAt[0], last, steady);
    out.printf(Locale.ROOT, "  epoch: %.0f img/s (%.1f s); steps %d..%d: %.0f img/s; trainer"
        + " kernel %.1f%% of its CPU, evaluator %.1f%% of a core; epoch's end %.1f s%n",
        epoch.imagesPerSecond(), epoch.seconds(), first.step() + 1, last.step() + 1, steady,
        100 * window.kernelShare(Service.TRAINER.module()),
        100 * window.coreShare(Service.EVALUATOR.module()), end);
    out.flush();
    await(events, job, ModelEvaluated.class, Duration.ofMinutes(10), seen, null);
    await(events, job, ModelPromoted.class, Duration.ofSeconds(20), seen, null);
    awaitServed(seen);
    return new Epoch(first.stepsPerEpoch(), last.step() - first.step(), epoch.imagesPerSecond(),
        steady, window, end);
  }

  /**
   * The epoch's end (see {@link Result#endSeconds}): from the last progress event's receipt to
   * {@code training.completed}'s, less the epoch's steps after that event at {@code steady}
   * pictures/s (2 x {@value #BATCH} pictures a step).
   */
  static double endSeconds(long lastProgressNanos, long completedNanos, TrainingProgress last,
      double steady) {
    int after = last.stepsPerEpoch() - 1 - last.step();
    return (completedNanos - lastProgressNanos) / 1e9 - after * 2.0 * BATCH / steady;
  }

  /** When the job was promoted, waits until inference-service serves it (its loading is done). */
  private void awaitServed(Map<Class<?>, EventEnvelope<DaflowEvent>> seen) throws Exception {
    EventEnvelope<DaflowEvent> promoted = seen.get(ModelPromoted.class);
    if (promoted != null && promoted.event() instanceof ModelPromoted p) {
      BenchPlatformCommand.awaitServed(platform.client(Service.INFERENCE,
          Duration.ofSeconds(60)), p.modelName(), p.version());
    }
  }

  /**
   * Pictures per second between two progress events of one epoch, from the trainer's own figures:
   * an event after step {@code s} says {@code (s + 1) * picturesPerStep} pictures took {@code
   * elapsed = (s + 1) * picturesPerStep / imagesPerSecond} seconds since the epoch began.
   */
  static double steadyRate(TrainingProgress first, TrainingProgress last, int picturesPerStep) {
    if (last.step() <= first.step()) {
      throw new IllegalArgumentException("the last event's step " + last.step()
          + " is not after the first's " + first.step());
    }
    double e1 = (first.step() + 1) * (double) picturesPerStep / first.imagesPerSecond();
    double e2 = (last.step() + 1) * (double) picturesPerStep / last.imagesPerSecond();
    return (last.step() - first.step()) * (double) picturesPerStep / (e2 - e1);
  }

  private void publish(String jobId, String model, Case c, int limit) {
    TrainingRequested r = new TrainingRequested(jobId, model, "dann", c.source(), c.target(),
        c.network(), 1, BATCH, null, null, "none", 1, limit, null).requireValid();
    TrainRequestCommand.publish(platform.kafka(), r);
  }

  /** Runs the raw step of {@code c}'s network in a JVM started like local-stack's trainer. */
  private void raw(Case c, int n, List<Double> speeds, List<Double> perCpuSecond,
      List<Double> kernel) throws Exception {
    Path jar = Repository.resolve("bench/target/daflow-bench.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (./mvnw -q -B -ntp -pl"
          + " bench -am package -DskipTests; bench/trainer.sh does)");
    }
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaExecutable());
    command.addAll(Service.TRAINER.jvmOptions());
    command.addAll(List.of("-cp", jar.toString(), "dev.daflow.bench.RawDannStep", c.network(),
        String.valueOf(c.rawSteps())));
    Path log = root.resolve("logs").resolve("raw-" + c.network() + "-" + n + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(Service.TRAINER.launchEnvironment(System.getenv("OMP_NUM_THREADS")));
    long t0 = System.nanoTime();
    Process p = pb.start();
    String name = "raw-" + c.network() + "-" + n;
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish within 15 min; log " + log);
    }
    String result = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("raw-step ")).findFirst().orElseThrow(() ->
            new IllegalStateException(name + " printed no result (exit " + p.exitValue()
                + "); log " + log));
    String[] f = result.split(" ");
    double ips = Double.parseDouble(f[2]);
    speeds.add(ips);
    perCpuSecond.add(Double.parseDouble(f[4]));
    double k = Double.parseDouble(f[5]);
    if (!Double.isNaN(k)) {
      kernel.add(k);
    }
    out.printf(Locale.ROOT, "  raw step %d: %.0f img/s, %.0f img per CPU-s, kernel %.1f%% (%.0f"
        + " s, log %s)%n", n, ips, Double.parseDouble(f[4]), 100 * k,
        (System.nanoTime() - t0) / 1e9, log);
    out.flush();
  }

  @FunctionalInterface
  private interface OnEvent {
    void accept(DaflowEvent event, long receivedNanos);
  }

  /** Reads the job's events until it completed; fails on any other end. */
  private static void awaitEnd(EventStream events, String job,
      Map<Class<?>, EventEnvelope<DaflowEvent>> seen, OnEvent each) {
    await(events, job, TrainingCompleted.class, Duration.ofMinutes(30), seen, each);
    if (!seen.containsKey(TrainingCompleted.class)) {
      throw new IllegalStateException("job " + job + " did not complete within 30 min");
    }
  }

  /**
   * Reads events until one of {@code type} about {@code job} came (or {@code timeout} passed),
   * remembering the last event of each type about the job in {@code seen}.
   *
   * @throws IllegalStateException when the job failed, was cancelled or rejected
   */
  private static void await(EventStream events, String job, Class<? extends DaflowEvent> type,
      Duration timeout, Map<Class<?>, EventEnvelope<DaflowEvent>> seen, OnEvent each) {
    if (seen.containsKey(type)) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (EventEnvelope<DaflowEvent> e : events.poll(Duration.ofMillis(100))) {
        long at = System.nanoTime();
        DaflowEvent ev = e.event();
        if (!job.equals(jobOf(ev))) {
          continue;
        }
        seen.put(ev.getClass(), e);
        if (each != null) {
          each.accept(ev, at);
        }
        if (ev instanceof TrainingFailed || ev instanceof TrainingCancelled
            || ev instanceof TrainingRejected) {
          throw new IllegalStateException("job " + job + " did not complete: " + ev);
        }
        if (type.isInstance(ev)) {
          return;
        }
      }
    }
  }

  private static String jobOf(DaflowEvent e) {
    if (e instanceof TrainingProgress p) {
      return p.jobId();
    } else if (e instanceof EpochBundleSaved s) {
      return s.jobId();
    } else if (e instanceof TrainingCompleted c) {
      return c.jobId();
    } else if (e instanceof TrainingFailed f) {
      return f.jobId();
    } else if (e instanceof TrainingCancelled x) {
      return x.jobId();
    } else if (e instanceof TrainingRejected r) {
      return r.jobId();
    } else if (e instanceof ModelEvaluated m) {
      return m.jobId();
    } else if (e instanceof ModelPromoted m) {
      return m.jobId();
    }
    return null;
  }

  private static void awaitAssigned(EventStream events) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!events.assigned()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no partitions assigned from "
            + events.bootstrapServers());
      }
      events.poll(Duration.ofMillis(100));
    }
  }

  /** The report's section: the table, then how it was measured. */
  static List<String> table(List<Result> results) {
    List<String> lines = new ArrayList<>();
    lines.add("| network | round | source -> target | steps | platform epoch img/s | steady img/s"
        + " | raw step img/s | ratio (epoch / raw) | img per CPU-s: platform / raw (ratio)"
        + " | trainer kernel CPU | raw JVM kernel CPU | trainer CPU (cores) | evaluator"
        + " | rest of platform (cores) | other processes (cores) | epoch's end (s) |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      CpuSampler.Window w = r.window();
      double platformRest = 0;
      double platform = 0;
      for (String name : w.processes().keySet()) {
        platform += w.coreShare(name);
        if (!name.equals(Service.TRAINER.module()) && !name.equals(Service.EVALUATOR.module())) {
          platformRest += w.coreShare(name);
        }
      }
      lines.add(String.format(Locale.ROOT, "| %s | %d | %s -> %s (%,d/domain) | %d | %.0f | %.0f | %s"
              + " | **%.0f%%** | %.0f / %s (%.0f%%) | **%.1f%%** | %.1f%% | %.2f | %s | %.2f"
              + " | %.2f | %.1f |",
          r.c().network(), r.round(), r.c().source(), r.c().target(), r.c().trainLimit(),
          r.steps(),
          r.epochIps(), r.steadyIps(), joined(r.raw()), 100 * r.ratio(), r.perCpuSecond(),
          joined(r.rawPerCpuSecond()), 100 * r.cpuRatio(),
          100 * w.kernelShare(Service.TRAINER.module()), 100 * r.rawKernel(),
          w.coreShare(Service.TRAINER.module()),
          String.format(Locale.ROOT, "%.1f%% of a core (%s)",
              100 * w.coreShare(Service.EVALUATOR.module()), r.evaluatorIdle() ? "idle"
                  : "NOT idle"),
          platformRest, Math.max(0, w.busyCores() - platform), r.endSeconds()));
    }
    return lines;
  }

  /**
   * Per network, the medians over its rounds of the epoch / raw ratio and of the trainer's kernel
   * share, against the bounds (>= 85% of the raw step, kernel under 15%).
   */
  static List<String> summary(List<Result> results) {
    List<String> lines = new ArrayList<>();
    Map<String, List<Result>> byNetwork = new LinkedHashMap<>();
    results.forEach(r -> byNetwork.computeIfAbsent(r.c().network(), k -> new ArrayList<>()).add(r));
    byNetwork.forEach((network, rs) -> {
      double ratio = median(rs.stream().map(Result::ratio).toList());
      double kernel = median(rs.stream()
          .map(r -> r.window().kernelShare(Service.TRAINER.module())).toList());
      lines.add(String.format(Locale.ROOT, "- **%s**: the epoch keeps **%.0f%%** of the raw step"
              + " (median of %d rounds: %s), required >= %.0f%%: %s; the trainer's kernel share"
              + " **%.1f%%** (median), required < %.0f%%: %s.", network, 100 * ratio, rs.size(),
          String.join(", ", rs.stream().map(r -> String.format(Locale.ROOT, "%.0f%%",
              100 * r.ratio())).toList()), 100 * MIN_RATIO,
          ratio >= MIN_RATIO ? "met" : "**not met**", 100 * kernel, 100 * MAX_KERNEL,
          kernel < MAX_KERNEL ? "met" : "**not met**"));
    });
    return lines;
  }

  /** The median (the mean of the middle two for an even count). */
  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String joined(List<Double> values) {
    return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
        .toList());
  }
}
