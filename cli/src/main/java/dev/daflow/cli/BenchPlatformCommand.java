package dev.daflow.cli;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.local.Services.Service;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFiles;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.storage.ObjectStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow bench-platform}: measures a local platform of its own and writes a Markdown
 * report. Two measurements, both on loopback:
 *
 * <ol>
 *   <li>the latency from publishing a {@code training.requested} event (broker acknowledgement
 *       included) to receiving the trainer's {@code training.started}, with the trainer idle;
 *   <li>inference throughput and latency percentiles for single pictures (the PNG picture
 *       endpoint and a one-picture OIP tensor) and for OIP batches of 64, with 1 and 2 clients in
 *       closed loops, against the raw in-process prediction speed of the same bundle.
 * </ol>
 */
@Command(name = "bench-platform", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure a local platform of its own: request-to-start latency of training"
        + " jobs, and inference throughput and p50/p99 latency (single pictures and batches of"
        + " 64) against the in-process prediction speed of the same model. Writes Markdown."})
final class BenchPlatformCommand extends DaflowCommand {
  static final String MODEL = "bench";
  static final int BATCH = 64;

  @Option(names = "--root", paramLabel = "DIR",
      description = "The platform's folder. Default: runs/bench-platform in the repository.")
  Path root;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "The Markdown report to write.")
  Path report;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "8",
      description = "Training requests timed (one at a time). Default: ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "20",
      description = "Seconds each throughput measurement runs (after 3 s of warm-up)."
          + " Default: ${DEFAULT-VALUE}.")
  int seconds;

  @Option(names = "--command", paramLabel = "TEXT", defaultValue = "bin/daflow bench-platform",
      description = "The command line to quote in the report.")
  String commandLine;

  @Mixin
  DatasetOptions datasets;

  @Override
  int execute() throws Exception {
    if (requests < 1 || seconds < 1) {
      throw new IllegalArgumentException("--requests and --seconds must be >= 1");
    }
    PrintWriter out = out();
    Path dir = (root != null ? root : Repository.resolve("runs/bench-platform"))
        .toAbsolutePath().normalize();
    Path cache = datasets.cache != null ? datasets.cache : DatasetCatalog.defaultCache();
    ImageDataset pictures = new DatasetCatalog(datasets.mirror(), cache)
        .load(DemoCommand.TARGET, Split.TEST, BATCH);
    DemoCommand.clean(dir);
    List<String> lines = new ArrayList<>();
    try (LocalPlatform platform = LocalPlatform.start(dir, datasets.mirror(), datasets.cache,
        out)) {
      DemoCommand.ingest(platform, List.of(DemoCommand.SOURCE, DemoCommand.TARGET), out);

      // 1. Request -> started, one request at a time on an idle trainer.
      ModelPromoted promoted;
      List<Double> latencies = new ArrayList<>();
      try (EventStream events = new EventStream(platform.bootstrapServers(),
          List.of(Topics.TRAINING, Topics.MODELS))) {
        awaitAssigned(events);
        String last = null;
        for (int i = 1; i <= requests; i++) {
          last = "bench-latency-" + i + "-" + System.currentTimeMillis();
          TrainingRequested request = new TrainingRequested(last, MODEL, "source-only",
              DemoCommand.SOURCE, DemoCommand.TARGET, "lenet", 1, BATCH, null, null, "none", i,
              1000).requireValid();
          String job = last;
          long t0 = System.nanoTime();
          TrainRequestCommand.publish(platform.bootstrapServers(), request);
          await(events, TrainingStarted.class, e -> e.jobId().equals(job));
          double ms = (System.nanoTime() - t0) / 1e6;
          latencies.add(ms);
          out.printf(Locale.ROOT, "  request %d: training.started after %.0f ms%n", i, ms);
          out.flush();
          DaflowEvent end = await(events, DaflowEvent.class, e -> terminal(e, job));
          if (!(end instanceof TrainingCompleted)) {
            throw new IllegalStateException("job " + job + " did not complete: " + end);
          }
        }
        String job = last;
        promoted = (ModelPromoted) await(events, DaflowEvent.class,
            e -> e instanceof ModelPromoted p && p.jobId().equals(job));
      }
      lines.addAll(latencyTable(latencies));

      // 2. The promoted bundle, in process and served.
      ServiceClient inference = new ServiceClient(Service.INFERENCE.module(),
          platform.url(Service.INFERENCE), Duration.ofSeconds(60));
      awaitServed(inference, promoted.version());
      Model model;
      try (ObjectStore store = new ObjectStore(platform.stack().s3().config())) {
        model = ModelBundle.read(store.getBytes(promoted.bundleKey(), promoted.sha256()),
            promoted.bundleKey());
      }
      lines.addAll(servingTable(model, pictures, inference, out));
    }
    write(lines);
    out.println("wrote " + report);
    return 0;
  }

  private static boolean terminal(DaflowEvent e, String job) {
    return e instanceof TrainingCompleted c && c.jobId().equals(job)
        || e instanceof TrainingFailed f && f.jobId().equals(job)
        || e instanceof TrainingCancelled x && x.jobId().equals(job);
  }

  private static void awaitAssigned(EventStream events) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!events.assigned()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no partitions assigned from " + events.bootstrapServers());
      }
      events.poll(Duration.ofMillis(100));
    }
  }

  private static <E extends DaflowEvent> E await(EventStream events, Class<E> type,
      Predicate<E> match) {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (EventEnvelope<DaflowEvent> e : events.poll(Duration.ofMillis(50))) {
        if (type.isInstance(e.event()) && match.test(type.cast(e.event()))) {
          return type.cast(e.event());
        }
      }
    }
    throw new IllegalStateException("no matching " + type.getSimpleName() + " within 10 min");
  }

  private void awaitServed(ServiceClient inference, int version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      ServiceClient.Reply r = inference.get("v2/models/" + MODEL);
      if (r.status() == 200 && r.json().path("versions").toString()
          .contains("\"" + version + "\"")) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("inference-service did not serve " + MODEL + " v"
            + version + " within 3 min: " + r.status() + " " + r.body());
      }
      Thread.sleep(300);
    }
  }

  private static List<String> latencyTable(List<Double> ms) {
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return List.of("## From a training request to its start", "",
        "Time from publishing `training.requested` (until the broker's acknowledgement) to"
            + " receiving the trainer's `training.started`, one request at a time, trainer idle"
            + " (each job ends before the next request).", "",
        "| requests | p50 ms | min ms | max ms | all (ms) |", "|---|---|---|---|---|",
        String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %s |", sorted.length,
            percentile(sorted, 50), sorted[0], sorted[sorted.length - 1],
            String.join(", ", ms.stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
                .toList())), "");
  }

  private List<String> servingTable(Model model, ImageDataset pictures, ServiceClient inference,
      PrintWriter out) throws Exception {
    ImageDataset one = pictures.slice(0, 1);
    byte[] png = PictureFiles.png(pictures, 0);
    byte[] inferOne = inferBody(one);
    byte[] inferBatch = inferBody(pictures);
    String infer = "v2/models/" + MODEL + "/infer";
    String classify = "v2/models/" + MODEL + "/classify";

    Map<String, Result> results = new LinkedHashMap<>();
    results.put("in process, 1 picture", measure(1, 1, () -> model.classify(one)));
    results.put("in process, batch of 64", measure(1, BATCH, () -> model.classify(pictures)));
    results.put("HTTP picture endpoint (PNG), 1 client", measure(1, 1,
        () -> ok(inference.post(classify, "image/png", png))));
    results.put("HTTP OIP infer, 1 picture, 1 client", measure(1, 1,
        () -> ok(inference.post(infer, "application/json", inferOne))));
    results.put("HTTP OIP infer, batch of 64, 1 client", measure(1, BATCH,
        () -> ok(inference.post(infer, "application/json", inferBatch))));
    results.put("HTTP OIP infer, batch of 64, 2 clients", measure(2, BATCH,
        () -> ok(inference.post(infer, "application/json", inferBatch))));
    results.forEach((k, v) -> out.printf(Locale.ROOT, "  %-42s %s%n", k, v));
    out.flush();

    double rawBatch = results.get("in process, batch of 64").picturesPerSecond();
    double servedBatch = Math.max(
        results.get("HTTP OIP infer, batch of 64, 1 client").picturesPerSecond(),
        results.get("HTTP OIP infer, batch of 64, 2 clients").picturesPerSecond());
    double rawOne = results.get("in process, 1 picture").picturesPerSecond();
    double servedOne = results.get("HTTP OIP infer, 1 picture, 1 client").picturesPerSecond();
    List<String> lines = new ArrayList<>(List.of("## Inference: served against in process", "",
        String.format(Locale.ROOT, "Model `%s` (%s, input %s), USPS test pictures (16x16 grey,"
            + " framed and resized by the model's preprocessing in both paths). Closed loops of"
            + " 1 or 2 clients, %d s each after 3 s of warm-up; the clients run on the same 2"
            + " cores as the service. In process: `Model.classify` on the same bundle in this"
            + " JVM.", MODEL, model.network(), model.preprocessing().input(),
            seconds), "",
        "| path | requests | pictures/s | p50 ms | p99 ms |", "|---|---|---|---|---|"));
    results.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f |"
        + " %.2f |", k, v.requests(), v.picturesPerSecond(), v.p50(), v.p99())));
    lines.add("");
    lines.add(String.format(Locale.ROOT, "Served batches keep **%.0f%%** of the in-process batch"
        + " speed (best of 1 and 2 clients; required: >= 70%%); single pictures over OIP keep"
        + " %.0f%%.", 100 * servedBatch / rawBatch, 100 * servedOne / rawOne));
    lines.add("");
    return lines;
  }

  private static Object ok(ServiceClient.Reply r) {
    return ServiceClient.require(r, 200);
  }

  /** The OIP v2 request body for pictures: one UINT8 tensor [N, H, W, C]. */
  private static byte[] inferBody(ImageDataset d) throws Exception {
    int[] data = new int[d.count() * d.pictureSize()];
    int k = 0;
    for (int i = 0; i < d.count(); i++) {
      for (byte b : d.picture(i)) {
        data[k++] = b & 0xff;
      }
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", "input");
    input.put("datatype", "UINT8");
    input.put("shape", new int[] {d.count(), d.height(), d.width(), d.channels()});
    input.put("data", data);
    return ServiceClient.JSON.writeValueAsString(Map.of("inputs", List.of(input)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One measurement.
   *
   * @param requests calls made in the timed window
   * @param picturesPerSecond pictures classified per second, all clients together
   * @param p50 median call latency, ms
   * @param p99 99th percentile call latency, ms
   */
  record Result(int requests, double picturesPerSecond, double p50, double p99) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%6.0f pictures/s, p50 %.2f ms, p99 %.2f ms (%d calls)",
          picturesPerSecond, p50, p99, requests);
    }
  }

  /** Runs {@code call} in closed loops on {@code clients} threads: warm-up, then timed. */
  private Result measure(int clients, int picturesPerCall, Callable<?> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      runFor(pool, clients, call, Duration.ofSeconds(3));
      long t0 = System.nanoTime();
      List<Double> ms = runFor(pool, clients, call, Duration.ofSeconds(seconds));
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Result(sorted.length, sorted.length * (double) picturesPerCall / elapsed,
          percentile(sorted, 50), percentile(sorted, 99));
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Double> runFor(ExecutorService pool, int clients, Callable<?> call,
      Duration d) throws Exception {
    long end = System.nanoTime() + d.toNanos();
    List<Future<List<Double>>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        List<Double> ms = new ArrayList<>();
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          call.call();
          ms.add((System.nanoTime() - t) / 1e6);
        }
        return ms;
      }));
    }
    List<Double> all = new ArrayList<>();
    for (Future<List<Double>> f : futures) {
      all.addAll(f.get());
    }
    return all;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private void write(List<String> body) throws Exception {
    List<String> lines = new ArrayList<>(List.of("# Platform benchmarks", "",
        String.format(Locale.ROOT, "Made by `%s` on %s. Machine: %d cores, Java %s,"
            + " OMP_NUM_THREADS=%s; every process (broker, S3 server, the four services, this"
            + " client) on the same machine.", commandLine, LocalDate.now(),
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")), "",
        "The trainer's epoch throughput against the raw step speed: [benchmarks-trainer.md]"
            + "(benchmarks-trainer.md), made by `bench/trainer.sh`.", ""));
    lines.addAll(body);
    Path parent = report.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(report, lines, StandardCharsets.UTF_8);
  }
}
