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
   * @param steps steps of the measured epoch
   * @param windowSteps steps between the first and last progress events (the CPU window)
   * @param epochIps the trainer's epoch throughput, source+target pictures/s
   * @param steadyIps the trainer's throughput between its first and last progress events
   * @param raw the raw step speeds measured, pictures/s
   * @param rawPerCpuSecond the raw JVMs' pictures per CPU-second of their process
   * @param rawKernel the raw JVMs' kernel share of their CPU time (mean)
   * @param window CPU over the window
   */
  record Result(Case c, int steps, int windowSteps, double epochIps, double steadyIps,
      List<Double> raw, List<Double> rawPerCpuSecond, double rawKernel,
      CpuSampler.Window window) {
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
  private final int rawRuns;
  private final PrintWriter out;

  /**
   * @param root where the raw runs' logs go ({@code <root>/logs/raw-<network>-<n>.log})
   * @param rawRuns raw measurements per network: one before the platform's epoch, the next after
   *     it, and so on
   */
  TrainerThroughput(LocalPlatform platform, Path root, int rawRuns, PrintWriter out) {
    this.platform = platform;
    this.root = root;
    this.rawRuns = rawRuns;
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
        results.add(measure(c, cpu, events));
      }
    }
    return results;
  }

  private Result measure(Case c, CpuSampler cpu, EventStream events) throws Exception {
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

    List<Double> raw = new ArrayList<>();
    List<Double> rawPerCpu = new ArrayList<>();
    List<Double> rawKernel = new ArrayList<>();
    int before = (rawRuns + 1) / 2;
    for (int i = 0; i < before; i++) {
      raw(c, raw.size() + 1, raw, rawPerCpu, rawKernel);
    }

    // The measured epoch.
    String job = model + "-" + stamp;
    publish(job, model, c, c.trainLimit());
    List<TrainingProgress> progress = new ArrayList<>();
    List<Long> received = new ArrayList<>();
    seen.clear();
    awaitEnd(events, job, seen, (e, at) -> {
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
    out.printf(Locale.ROOT, "  epoch: %.0f img/s (%.1f s); steps %d..%d: %.0f img/s; trainer"
        + " kernel %.1f%% of its CPU, evaluator %.1f%% of a core%n", epoch.imagesPerSecond(),
        epoch.seconds(), first.step() + 1, last.step() + 1, steady,
        100 * window.kernelShare(Service.TRAINER.module()),
        100 * window.coreShare(Service.EVALUATOR.module()));
    out.flush();
    await(events, job, ModelEvaluated.class, Duration.ofMinutes(10), seen, null);
    await(events, job, ModelPromoted.class, Duration.ofSeconds(20), seen, null);
    awaitServed(seen);

    for (int i = before; i < rawRuns; i++) {
      raw(c, raw.size() + 1, raw, rawPerCpu, rawKernel);
    }
    return new Result(c, first.stepsPerEpoch(), last.step() - first.step(),
        epoch.imagesPerSecond(), steady, raw, rawPerCpu,
        rawKernel.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), window);
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
    lines.add("| network | source -> target | steps | platform epoch img/s | steady img/s"
        + " | raw step img/s | ratio (epoch / raw) | img per CPU-s: platform / raw (ratio)"
        + " | trainer kernel CPU | raw JVM kernel CPU | trainer CPU (cores) | evaluator"
        + " | rest of platform (cores) | other processes (cores) |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
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
      lines.add(String.format(Locale.ROOT, "| %s | %s -> %s (%,d/domain) | %d | %.0f | %.0f | %s"
              + " | **%.0f%%** | %.0f / %s (%.0f%%) | **%.1f%%** | %.1f%% | %.2f | %s | %.2f"
              + " | %.2f |",
          r.c().network(), r.c().source(), r.c().target(), r.c().trainLimit(), r.steps(),
          r.epochIps(), r.steadyIps(), joined(r.raw()), 100 * r.ratio(), r.perCpuSecond(),
          joined(r.rawPerCpuSecond()), 100 * r.cpuRatio(),
          100 * w.kernelShare(Service.TRAINER.module()), 100 * r.rawKernel(),
          w.coreShare(Service.TRAINER.module()),
          String.format(Locale.ROOT, "%.1f%% of a core (%s)",
              100 * w.coreShare(Service.EVALUATOR.module()), r.evaluatorIdle() ? "idle"
                  : "NOT idle"),
          platformRest, Math.max(0, w.busyCores() - platform)));
    }
    return lines;
  }

  private static String joined(List<Double> values) {
    return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
        .toList());
  }
}
