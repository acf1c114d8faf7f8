package dev.daflow.cli;

import dev.daflow.bench.BenchPages;
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
import dev.daflow.platform.inference.OpenInference;
import dev.daflow.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
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
 *       endpoint and a one-picture OIP tensor, 1 and 4 clients) and for OIP batches of 64 (1, 2
 *       and 4 clients), in closed loops, against the in-process prediction speed of the same bundle
 *       ({@code Model.classify}, single pictures on 1 and 4 threads, batches on 1), with the
 *       ratios the issue sets targets for: served single pictures with 4 clients >= 75% of the
 *       better in-process single-picture figure, served batches >= 90% of in-process batches.
 * </ol>
 */
@Command(name = "bench-platform", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure a local platform of its own: request-to-start latency of training"
        + " jobs, and inference throughput and p50/p99 latency (single pictures from 1 and 4"
        + " clients, batches of 64) against the in-process prediction speed of the same model,"
        + " with the verdicts against issue 12's targets. Writes Markdown."})
final class BenchPlatformCommand extends DaflowCommand {
  static final String MODEL = "bench";
  static final int BATCH = 64;
  /** Concurrent clients of the single-picture measurements the requirement names. */
  static final int CLIENTS = 4;
  /** Served single pictures (CLIENTS clients) against in process: at least this (issue 12). */
  static final double SINGLE_TARGET = 0.75;
  /** Served batches against in process: at least this (issue 12). */
  static final double BATCH_TARGET = 0.90;
  /** Turns each measurement takes, alternating with the others. */
  static final int ROUNDS = 5;
  static final String IN_ONE = "in process, 1 picture, 1 thread";
  static final String IN_ONE_4 = "in process, 1 picture, " + CLIENTS + " threads";
  static final String IN_BATCH = "in process, batch of " + BATCH + ", 1 thread";
  static final String PNG_4 = "HTTP picture endpoint (PNG), " + CLIENTS + " clients";
  static final String OIP_ONE = "HTTP OIP infer, 1 picture, 1 client";
  static final String OIP_ONE_4 = "HTTP OIP infer, 1 picture, " + CLIENTS + " clients";
  static final String OIP_BATCH = "HTTP OIP infer, batch of " + BATCH + ", 1 client";
  static final String OIP_BATCH_2 = "HTTP OIP infer, batch of " + BATCH + ", 2 clients";
  static final String BIN_BATCH = "HTTP OIP infer, binary data, batch of " + BATCH + ", 1 client";
  static final String BIN_BATCH_2 = "HTTP OIP infer, binary data, batch of " + BATCH
      + ", 2 clients";
  static final String OIP_BATCH_4 = "HTTP OIP infer, batch of " + BATCH + ", " + CLIENTS
      + " clients";
  static final String BIN_BATCH_4 = "HTTP OIP infer, binary data, batch of " + BATCH + ", "
      + CLIENTS + " clients";

  @Option(names = "--root", paramLabel = "DIR",
      description = "The platform's folder. Default: runs/bench-platform in the repository.")
  Path root;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "The Markdown report to write.")
  Path report;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "8",
      description = "Training requests timed (one at a time). Default: ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "15",
      description = "Seconds each throughput measurement runs in all, in 5 turns that"
          + " alternate with the other measurements (after --warm-up seconds of warm-up)."
          + " Default: ${DEFAULT-VALUE}.")
  int seconds;

  @Option(names = "--warm-up", paramLabel = "S", defaultValue = "30",
      description = "Seconds each measurement runs, not counted, before its first turn: the"
          + " JIT compilers of the service and of this JVM work through the first seconds of"
          + " load (after 10 s both sides still ran 13-17% under their speed after 30 s,"
          + " docs/benchmarks-platform.md). Default: ${DEFAULT-VALUE}.")
  int warmUp;

  @Option(names = "--client", paramLabel = "wrk|java",
      description = "The HTTP client of the served paths: wrk (Debian's package; a C client"
          + " that takes little of the shared cores) or java (the JDK's HttpURLConnection, in"
          + " this JVM). Default: wrk when installed, else java.")
  String client;

  @Option(names = "--command", paramLabel = "TEXT", defaultValue = "bin/daflow bench-platform",
      description = "The command line to quote in the report.")
  String commandLine;

  @Mixin
  DatasetOptions datasets;

  @Override
  int execute() throws Exception {
    if (requests < 1 || seconds < ROUNDS || warmUp < 1) {
      throw new IllegalArgumentException("--requests and --warm-up must be >= 1 and --seconds >= "
          + ROUNDS);
    }
    if (client == null) {
      client = Wrk.installed() ? "wrk" : "java";
    } else if (!client.equals("wrk") && !client.equals("java")) {
      throw new IllegalArgumentException("--client must be wrk or java, not " + client);
    } else if (client.equals("wrk") && !Wrk.installed()) {
      throw new IllegalArgumentException("--client wrk: wrk is not installed (apt-get install"
          + " wrk)");
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
      try (EventStream events = new EventStream(platform.kafka(),
          List.of(Topics.TRAINING, Topics.MODELS))) {
        awaitAssigned(events);
        String last = null;
        for (int i = 1; i <= requests; i++) {
          last = "bench-latency-" + i + "-" + System.currentTimeMillis();
          // Each job a model of its own, the last one the model measured: a first version is
          // promoted (unless collapsed), while the default promotion policy declines a new
          // version that does not beat the serving one.
          String model = i == requests ? MODEL : MODEL + "-" + i;
          TrainingRequested request = new TrainingRequested(last, model, "source-only",
              DemoCommand.SOURCE, DemoCommand.TARGET, "lenet", 1, BATCH, null, null, "none", i,
              1000).requireValid();
          String job = last;
          long t0 = System.nanoTime();
          TrainRequestCommand.publish(platform.kafka(), request);
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
      ServiceClient inference = platform.client(Service.INFERENCE,
          Duration.ofSeconds(60));
      awaitServed(inference, MODEL, promoted.version());
      // The evaluator makes the promoted version's report in the background (it evaluates and
      // draws): measuring before it is done would time the report as much as the serving.
      Pages.await(platform.client(Service.EVALUATOR, Duration.ofSeconds(60)), "models/" + MODEL
          + "/versions/" + promoted.version() + "/report", dir.resolve("report.html"),
          DemoCommand.REPORT_WAIT);
      String idle = awaitIdle(Duration.ofSeconds(60));
      out.println("  " + idle);
      out.flush();
      Model model;
      try (ObjectStore store = new ObjectStore(platform.stack().s3().config())) {
        model = ModelBundle.read(store.getBytes(promoted.bundleKey(), promoted.sha256()),
            promoted.bundleKey());
      }
      lines.addAll(servingTable(model, pictures, inference, dir.resolve("wrk"), idle, out));
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

  /** Waits until inference-service lists {@code version} of {@code model} (at most 3 min). */
  static void awaitServed(ServiceClient inference, String model, int version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      ServiceClient.Reply r = inference.get("v2/models/" + ServiceClient.segment(model));
      if (r.status() == 200 && r.json().path("versions").toString()
          .contains("\"" + version + "\"")) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("inference-service did not serve " + model + " v"
            + version + " within 3 min: " + r.status() + " " + r.body());
      }
      Thread.sleep(300); // poll interval
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
      Path wrkDir, String idle, PrintWriter out) throws Exception {
    ImageDataset one = pictures.slice(0, 1);
    byte[] png = PictureFiles.png(pictures, 0);
    byte[] inferOne = inferBody(one);
    byte[] inferBatch = inferBody(pictures);
    URI infer = inference.base().resolve("v2/models/" + MODEL + "/infer");
    URI classify = inference.base().resolve("v2/models/" + MODEL + "/classify");
    String auth = inference.authorization();
    String loadBefore = loadAverage();
    Wrk wrk = client.equals("wrk") ? new Wrk(wrkDir) : null;
    byte[][] binary = inferBinaryBody(pictures);
    Served pngPost = new Served(classify, "image/png", png, wrkDir.resolve("picture.png"), auth,
        Map.of());
    Served onePost = new Served(infer, "application/json", inferOne,
        wrkDir.resolve("infer-1.json"), auth, Map.of());
    Served batchPost = new Served(infer, "application/json", inferBatch,
        wrkDir.resolve("infer-" + BATCH + ".json"), auth, Map.of());
    Served binaryPost = new Served(infer, "application/octet-stream", binary[1],
        wrkDir.resolve("infer-" + BATCH + ".bin"), auth,
        Map.of(OpenInference.HEADER_LENGTH, Integer.toString(binary[0].length)));
    for (Served s : List.of(pngPost, onePost, batchPost, binaryPost)) {
      Files.createDirectories(wrkDir);
      Files.write(s.file(), s.body());
    }

    List<Load> loads = List.of(
        new Load(IN_ONE, 1, 1, () -> model.classify(one), null),
        new Load(IN_ONE_4, CLIENTS, 1, () -> model.classify(one), null),
        new Load(IN_BATCH, 1, BATCH, () -> model.classify(pictures), null),
        new Load("HTTP picture endpoint (PNG), 1 client", 1, 1, pngPost::post, pngPost),
        new Load(PNG_4, CLIENTS, 1, pngPost::post, pngPost),
        new Load(OIP_ONE, 1, 1, onePost::post, onePost),
        new Load(OIP_ONE_4, CLIENTS, 1, onePost::post, onePost),
        new Load(OIP_BATCH, 1, BATCH, batchPost::post, batchPost),
        new Load(OIP_BATCH_2, 2, BATCH, batchPost::post, batchPost),
        new Load(OIP_BATCH_4, CLIENTS, BATCH, batchPost::post, batchPost),
        new Load(BIN_BATCH, 1, BATCH, binaryPost::post, binaryPost),
        new Load(BIN_BATCH_2, 2, BATCH, binaryPost::post, binaryPost),
        new Load(BIN_BATCH_4, CLIENTS, BATCH, binaryPost::post, binaryPost));
    Map<String, Result> results = measure(loads, inference, wrk);
    String loadAfter = loadAverage();
    results.forEach((k, v) -> out.printf(Locale.ROOT, "  %-46s %s%n", k, v));

    double rawOne = Math.max(results.get(IN_ONE).picturesPerSecond(),
        results.get(IN_ONE_4).picturesPerSecond());
    double rawBatch = results.get(IN_BATCH).picturesPerSecond();
    double servedOne = results.get(OIP_ONE_4).picturesPerSecond();
    double servedPng = results.get(PNG_4).picturesPerSecond();
    double servedOneAlone = results.get(OIP_ONE).picturesPerSecond();
    double servedBatch = best(results, OIP_BATCH, OIP_BATCH_2, OIP_BATCH_4);
    double servedBinary = best(results, BIN_BATCH, BIN_BATCH_2, BIN_BATCH_4);
    double oneRatio = servedOne / rawOne;
    double batchRatio = servedBatch / rawBatch;
    double binaryRatio = servedBinary / rawBatch;
    List<String> verdicts = List.of(
        String.format(Locale.ROOT, "Single pictures over HTTP (OIP, %d concurrent clients) keep"
            + " **%.0f%%** of the in-process single-picture throughput (the better of 1 and %d"
            + " threads: %.0f pictures/s); required: >= %.0f%%: **%s**.", CLIENTS,
            100 * oneRatio, CLIENTS, rawOne, 100 * SINGLE_TARGET,
            oneRatio >= SINGLE_TARGET ? "met" : "not met"),
        String.format(Locale.ROOT, "Served batches of %d keep **%.0f%%** of the in-process batch"
            + " throughput sent as JSON numbers and **%.0f%%** sent as binary data (the"
            + " protocol's binary data extension; best of 1, 2 and %d clients each); required:"
            + " >= %.0f%%: **%s** (JSON: %s, binary: %s).", BATCH, 100 * batchRatio,
            100 * binaryRatio, CLIENTS, 100 * BATCH_TARGET,
            Math.max(batchRatio, binaryRatio) >= BATCH_TARGET ? "met" : "not met",
            batchRatio >= BATCH_TARGET ? "met" : "not met",
            binaryRatio >= BATCH_TARGET ? "met" : "not met"),
        String.format(Locale.ROOT, "Also: the picture endpoint (PNG, %d clients) keeps %.0f%% of"
            + " the same reference; one OIP client sending single pictures keeps %.0f%%.",
            CLIENTS, 100 * servedPng / rawOne, 100 * servedOneAlone / rawOne));
    verdicts.forEach(out::println);
    out.flush();

    List<String> lines = new ArrayList<>(List.of("## Inference: served against in process", "",
        String.format(Locale.ROOT, "Model `%s` (%s, input %s), USPS test pictures (16x16 grey,"
            + " framed and resized by the model's preprocessing in both paths). Closed loops of"
            + " 1, 2 or %d clients; the clients run on the same cores as the service, over"
            + " loopback. Each path runs %d s in all, in %d turns of %.1f s that alternate with the"
            + " other paths' turns, so that changes in the machine's load fall on all of them"
            + " alike (" + warmUp + " s of warm-up before a path's first turn, not counted). In"
            + " process: `Model.classify`"
            + " on the same bundle in this JVM, one call at a time per thread (the model runs"
            + " one forward pass at a time; its threads overlap only the preprocessing).",
            MODEL, model.network(), model.preprocessing().input(), CLIENTS, seconds, ROUNDS,
            seconds / (double) ROUNDS), "",
        "Serving settings: " + servingSettings() + ". Security: "
            + (auth == null ? "no token" : "a JWT bearer token on every request (the default:"
            + " `DAFLOW_AUTH_PUBLIC_INFERENCE`=false), the service verifies its signature each"
            + " time") + "; plain HTTP on loopback. Clients: " + (wrk != null
            ? "[wrk](https://github.com/wg/wrk) (`--client wrk`, the default when installed), one"
            + " process per turn, 1 thread, one keep-alive HTTP/1.1 connection per client, the"
            + " request prepared once; its latencies per turn: p50 is the mean of the turns' p50s"
            + " weighted by their requests, p99 the highest of the turns' p99s"
            : "the JDK's `HttpURLConnection` in this JVM (`--client java`), HTTP/1.1 with"
            + " keep-alive, one connection per client") + ".", "",
        "Before the inference runs the evaluator had made the promoted version's report (its"
            + " background work after a promotion), then: " + idle + ". Load average (1, 5, 15"
            + " min) before the inference runs: " + loadBefore + "; after: " + loadAfter + ".",
        "",
        "| path | requests | pictures/s | p50 ms | p99 ms | requests per forward pass |",
        "|---|---|---|---|---|---|"));
    results.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f |"
        + " %.2f | %s |", k, v.requests(), v.picturesPerSecond(), v.p50(), v.p99(),
        Double.isNaN(v.requestsPerPass()) ? "" : String.format(Locale.ROOT, "%.2f",
            v.requestsPerPass()))));
    lines.add("");
    verdicts.forEach(v -> lines.add("- " + v));
    lines.add("");
    return lines;
  }

  /**
   * The inference-service's batching and admission settings as this benchmark starts it: the
   * service's defaults unless this process's environment, which the services inherit, says
   * otherwise.
   */
  private static String servingSettings() {
    return String.join(", ", setting("DAFLOW_INFERENCE_BATCHING_ENABLED", "true"),
        setting("DAFLOW_INFERENCE_BATCHING_MAX_DELAY", "2ms"),
        setting("DAFLOW_INFERENCE_BATCHING_MAX_BATCH", "64"),
        setting("DAFLOW_INFERENCE_MAX_CONCURRENT", "4"));
  }

  private static String setting(String variable, String serviceDefault) {
    String value = System.getenv(variable);
    return "`" + variable + "`=" + (value == null ? serviceDefault + " (default)" : value);
  }

  /**
   * Waits until the machine's cores are idle (less than 0.2 of a core busy over one second,
   * {@link CpuSampler}) or {@code wait} has passed; says which, for the report's log.
   */
  static String awaitIdle(Duration wait) throws InterruptedException {
    if (!CpuSampler.available()) {
      return "machine load unknown (no /proc)";
    }
    double busy = Double.NaN;
    try (CpuSampler cpu = new CpuSampler(Map.of(), Duration.ofMillis(250))) {
      long start = System.nanoTime();
      long deadline = start + wait.toNanos();
      Thread.sleep(1000); // the first window
      while (true) {
        long now = System.nanoTime();
        busy = cpu.between(now - 1_000_000_000L, now).busyCores();
        if (busy < 0.2 || now > deadline) {
          break;
        }
        Thread.sleep(250); // the sampling interval
      }
    }
    return busy < 0.2 ? String.format(Locale.ROOT, "machine idle (%.2f cores busy)", busy)
        : String.format(Locale.ROOT, "machine still busy after %s (%.2f cores): measured"
            + " anyway", wait, busy);
  }

  /** {@code /proc/loadavg}'s first three numbers, or "unknown". */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  /**
   * One timed call: a POST with the JDK's {@code HttpURLConnection}, HTTP/1.1 with keep-alive, so
   * each client thread reuses a connection of its own, as separate clients do. (The CLI's {@code
   * java.net.http} client asks for HTTP/2, which the service grants over cleartext: all threads
   * then share one multiplexed connection, and that client costs about twice the CPU per call,
   * taken from the same cores as the service.)
   *
   * @throws IllegalStateException unless the answer is 200
   */
  private static byte[] post(URI uri, String contentType, byte[] body, String authorization,
      Map<String, String> headers) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setConnectTimeout(5_000);
    c.setReadTimeout(60_000);
    c.setRequestMethod("POST");
    c.setRequestProperty("Content-Type", contentType);
    headers.forEach(c::setRequestProperty);
    if (authorization != null) {
      c.setRequestProperty("Authorization", authorization);
    }
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(body.length);
    try (OutputStream o = c.getOutputStream()) {
      o.write(body);
    }
    int status = c.getResponseCode();
    byte[] reply;
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      reply = in == null ? new byte[0] : in.readAllBytes(); // read to the end: keeps it alive
    }
    if (status != 200) {
      throw new IllegalStateException("inference-service answered " + status + " to POST "
          + uri + ": " + new String(reply, StandardCharsets.UTF_8));
    }
    return reply;
  }

  /**
   * The same request with the binary data extension: {JSON part, whole body}; the JSON has
   * {@code binary_data_size} in place of {@code data}, the pictures' bytes follow it.
   */
  private static byte[][] inferBinaryBody(ImageDataset d) throws Exception {
    byte[] pixels = d.pixels();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", "input");
    input.put("datatype", "UINT8");
    input.put("shape", new int[] {d.count(), d.height(), d.width(), d.channels()});
    input.put("parameters", Map.of(OpenInference.BINARY_DATA_SIZE, pixels.length));
    byte[] json = ServiceClient.JSON.writeValueAsString(Map.of("inputs", List.of(input)))
        .getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(json, json.length + pixels.length);
    System.arraycopy(pixels, 0, body, json.length, pixels.length);
    return new byte[][] {json, body};
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
   * One way of classifying pictures, run in closed loops.
   *
   * @param name its row in the table
   * @param clients threads calling at once
   * @param picturesPerCall pictures each call classifies
   * @param call one call by this JVM
   * @param served the request, when it goes to inference-service (whose batch metrics are then
   *     read); null in process
   */
  record Load(String name, int clients, int picturesPerCall, Callable<?> call, Served served) {}

  /**
   * One request to inference-service, sent by this JVM ({@link #post()}) or by wrk ({@link
   * #by}).
   *
   * @param file where the body is written for wrk
   * @param headers more request headers (the binary data extension's)
   */
  record Served(URI uri, String contentType, byte[] body, Path file, String authorization,
      Map<String, String> headers) {
    byte[] post() throws IOException {
      return BenchPlatformCommand.post(uri, contentType, body, authorization, headers);
    }

    Wrk.Turn by(Wrk wrk, int connections, Duration d) throws Exception {
      return wrk.run(uri, contentType, file, authorization, headers, connections, d);
    }
  }

  /**
   * One measurement.
   *
   * @param requests calls made in the timed windows
   * @param picturesPerSecond pictures classified per second, all clients together
   * @param p50 median call latency, ms
   * @param p99 99th percentile call latency, ms
   * @param requestsPerPass requests per forward pass of inference-service's dynamic batcher
   *     (its metrics), NaN for in process
   */
  record Result(int requests, double picturesPerSecond, double p50, double p99,
      double requestsPerPass) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%6.0f pictures/s, p50 %.2f ms, p99 %.2f ms (%d calls)%s",
          picturesPerSecond, p50, p99, requests, Double.isNaN(requestsPerPass) ? ""
              : String.format(Locale.ROOT, ", %.2f requests per forward pass", requestsPerPass));
    }
  }

  /**
   * Runs every load for {@code seconds} in all, in {@value #ROUNDS} rounds that take turns (each
   * load's first turn after {@code --warm-up} seconds of warm-up), so that the machine's changing
   * load (other work on it) falls on every load alike.
   */
  private Map<String, Result> measure(List<Load> loads, ServiceClient inference, Wrk wrk)
      throws Exception {
    Duration slice = Duration.ofMillis(seconds * 1000L / ROUNDS);
    Map<String, List<Double>> latencies = new LinkedHashMap<>();
    Map<String, List<Wrk.Turn>> turns = new LinkedHashMap<>(); // served paths, with wrk
    Map<String, double[]> totals = new LinkedHashMap<>(); // seconds, passes, requests
    // Each load keeps its threads for all its turns, as a server keeps its workers: ND4J's
    // SameDiff sets up an inference session (and its array cache) per thread on first use.
    Map<String, ExecutorService> pools = new LinkedHashMap<>();
    try {
      for (Load load : loads) {
        pools.put(load.name(), Executors.newFixedThreadPool(load.clients()));
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (Load load : loads) {
          ExecutorService pool = pools.get(load.name());
          boolean byWrk = wrk != null && load.served() != null;
          if (round == 0) {
            if (byWrk) {
              load.served().by(wrk, load.clients(), Duration.ofSeconds(warmUp));
            } else {
              runFor(pool, load.clients(), load.call(), Duration.ofSeconds(warmUp));
            }
          }
          double[] before = load.served() != null ? batchCounts(inference) : null;
          double[] t = totals.computeIfAbsent(load.name(), k -> new double[3]);
          List<Double> ms = latencies.computeIfAbsent(load.name(), k -> new ArrayList<>());
          if (byWrk) {
            Wrk.Turn turn = load.served().by(wrk, load.clients(), slice);
            turns.computeIfAbsent(load.name(), k -> new ArrayList<>()).add(turn);
            t[0] += turn.seconds();
          } else {
            long t0 = System.nanoTime();
            ms.addAll(runFor(pool, load.clients(), load.call(), slice));
            t[0] += (System.nanoTime() - t0) / 1e9;
          }
          if (before != null) {
            double[] after = batchCounts(inference);
            t[1] += after[0] - before[0];
            t[2] += after[1] - before[1];
          }
        }
      }
    } finally {
      pools.values().forEach(ExecutorService::shutdownNow);
    }
    Map<String, Result> results = new LinkedHashMap<>();
    for (Load load : loads) {
      double[] t = totals.get(load.name());
      double perPass = load.served() != null && t[1] > 0 ? t[2] / t[1] : Double.NaN;
      List<Wrk.Turn> byWrk = turns.get(load.name());
      if (byWrk != null) {
        long n = byWrk.stream().mapToLong(Wrk.Turn::requests).sum();
        results.put(load.name(), new Result((int) n, n * (double) load.picturesPerCall() / t[0],
            byWrk.stream().mapToDouble(r -> r.p50() * r.requests()).sum() / n,
            byWrk.stream().mapToDouble(Wrk.Turn::p99).max().orElseThrow(), perPass));
        continue;
      }
      double[] sorted = latencies.get(load.name()).stream().mapToDouble(Double::doubleValue)
          .sorted().toArray();
      results.put(load.name(), new Result(sorted.length,
          sorted.length * (double) load.picturesPerCall() / t[0], percentile(sorted, 50),
          percentile(sorted, 99), perPass));
    }
    return results;
  }

  /**
   * inference-service's forward passes so far for the benchmark's model and the requests they
   * held ({@code daflow_inference_batch_requests} count and sum); zeros before the first.
   */
  private static double[] batchCounts(ServiceClient inference) throws Exception {
    String metrics = ServiceClient.require(inference.get("q/metrics"), 200).body();
    double[] out = new double[2];
    for (String line : metrics.split("\n")) {
      if (line.startsWith("daflow_inference_batch_requests_")
          && line.contains("model=\"" + MODEL + "\"")) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (line.startsWith("daflow_inference_batch_requests_count{")) {
          out[0] = value;
        } else if (line.startsWith("daflow_inference_batch_requests_sum{")) {
          out[1] = value;
        }
      }
    }
    return out;
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

  /** The highest throughput among the named paths (e.g. one request size at 1, 2 and 4 clients). */
  static double best(Map<String, Result> results, String... paths) {
    return java.util.Arrays.stream(paths).mapToDouble(p -> results.get(p).picturesPerSecond())
        .max().orElseThrow();
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
    BenchPages.writeKeepingNotes(report, lines);
  }
}
