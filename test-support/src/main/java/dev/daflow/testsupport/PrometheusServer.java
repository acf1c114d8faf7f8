package dev.daflow.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.local.ChildProcess;
import dev.daflow.local.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A real Prometheus server as a child process: the {@code prometheus} binary (Debian's package,
 * found on the {@code PATH} or named by {@value #BINARY_PROPERTY}) with a generated configuration,
 * its storage in a given folder, listening on 127.0.0.1. It scrapes itself (label {@code
 * service="prometheus"}) and the {@link Target}s given, each labelled {@code service} as the
 * repository's compose and Kubernetes configurations label them, so the Grafana dashboards' queries
 * run here unchanged. Queries go over Prometheus' HTTP API.
 *
 * <p>The scrape job keeps the targets' own labels ({@code honor_labels}): DAFlow's metrics carry a
 * {@code job} label (the training job), which must not become {@code exported_job}. The targets
 * live in a file Prometheus watches ({@code file_sd}), so {@link #setTargets} changes them while it
 * runs.
 */
public final class PrometheusServer implements AutoCloseable {
  /** The system property naming the {@code prometheus} binary. */
  public static final String BINARY_PROPERTY = "daflow.prometheus.binary";
  /** How long {@link #start} waits for the server to be ready. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** The scrape interval of {@link Settings#local()}. */
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(1);
  /** Where the Quarkus services publish their metrics. */
  public static final String QUARKUS_METRICS_PATH = "/q/metrics";
  /** The scrape job of the targets (the {@code job} label of their metrics that have none). */
  public static final String SCRAPE_JOB = "daflow";
  /** The label naming the service of a target. */
  public static final String SERVICE_LABEL = "service";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  private final ChildProcess process;
  private final int port;
  private final Path configFile;
  private final Path targetsFile;
  private final Duration scrapeInterval;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private List<Target> targets;

  private PrometheusServer(ChildProcess process, int port, Path configFile, Path targetsFile,
      Duration scrapeInterval, List<Target> targets) {
    this.process = process;
    this.port = port;
    this.configFile = configFile;
    this.targetsFile = targetsFile;
    this.scrapeInterval = scrapeInterval;
    this.targets = targets;
  }

  /**
   * A service to scrape.
   *
   * @param service the value of its {@code service} label, e.g. {@code trainer-service}
   * @param address {@code host:port}
   * @param metricsPath the path of its metrics, e.g. {@value #QUARKUS_METRICS_PATH}
   */
  public record Target(String service, String address, String metricsPath) {
    /** Checks the values. */
    public Target {
      if (service == null || service.isBlank()) {
        throw new IllegalArgumentException("a scrape target needs a service name");
      }
      if (address == null || !address.matches("[^\\s/:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("scrape target " + service + ": address must be "
            + "host:port, got " + address);
      }
      if (metricsPath == null || !metricsPath.startsWith("/")) {
        throw new IllegalArgumentException("scrape target " + service
            + ": the metrics path must start with /, got " + metricsPath);
      }
    }

    /**
     * A Quarkus service at {@code baseUrl} (e.g. {@code http://127.0.0.1:41234}), metrics at
     * {@value #QUARKUS_METRICS_PATH}.
     */
    public static Target quarkus(String service, URI baseUrl) {
      if (baseUrl.getHost() == null || baseUrl.getPort() < 0) {
        throw new IllegalArgumentException("scrape target " + service
            + ": the URL needs a host and a port, got " + baseUrl);
      }
      return new Target(service, baseUrl.getHost() + ":" + baseUrl.getPort(),
          QUARKUS_METRICS_PATH);
    }
  }

  /**
   * Settings of a server.
   *
   * @param binary the {@code prometheus} executable ({@link #defaultBinary()})
   * @param port the port, or 0 for a free one
   * @param scrapeInterval how often every target is scraped (also the scrape timeout)
   */
  public record Settings(Path binary, int port, Duration scrapeInterval) {
    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(binary, "binary");
      if (scrapeInterval.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException("scrape interval below 100 ms: " + scrapeInterval);
      }
    }

    /** {@link #defaultBinary()}, a free port, {@link #DEFAULT_SCRAPE_INTERVAL}. */
    public static Settings local() {
      return new Settings(defaultBinary(), 0, DEFAULT_SCRAPE_INTERVAL);
    }

    /** These settings with another scrape interval. */
    public Settings withScrapeInterval(Duration interval) {
      return new Settings(binary, port, interval);
    }
  }

  /** One value of a series at one time. */
  public record Sample(Instant time, double value) {}

  /**
   * A series of a query's answer.
   *
   * @param labels its labels ({@code __name__} included where the query keeps it)
   * @param samples its values, oldest first (one for an instant query)
   */
  public record Series(Map<String, String> labels, List<Sample> samples) {
    /** Copies the collections. */
    public Series {
      labels = Map.copyOf(labels);
      samples = List.copyOf(samples);
    }

    /** Whether one of its values is a number a graph can draw (not NaN, not infinite). */
    public boolean hasFiniteValue() {
      return samples.stream().anyMatch(s -> Double.isFinite(s.value()));
    }
  }

  /**
   * What Prometheus reports of one of its targets.
   *
   * @param service its {@code service} label
   * @param scrapeUrl the URL it scrapes
   * @param health {@code up}, {@code down} or {@code unknown} (not scraped yet)
   * @param lastError the last scrape's error, empty when none
   */
  public record TargetHealth(String service, String scrapeUrl, String health, String lastError) {
    /** Whether the last scrape succeeded. */
    public boolean up() {
      return "up".equals(health);
    }

    @Override
    public String toString() {
      return service + " " + scrapeUrl + " " + health
          + (lastError.isEmpty() ? "" : " (" + lastError + ")");
    }
  }

  /** Prometheus refused or failed a query; the message holds its error type and text. */
  public static final class QueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failed query. */
    public QueryException(String message) {
      super(message);
    }
  }

  /**
   * The binary: the system property {@value #BINARY_PROPERTY} when set, else {@code prometheus}
   * from the {@code PATH} (Debian's package installs {@code /usr/bin/prometheus}), else the bare
   * name (then {@link #start} says how to install it).
   */
  public static Path defaultBinary() {
    String property = System.getProperty(BINARY_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path candidate = Path.of(dir, "prometheus");
          if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
            return candidate;
          }
        }
      }
    }
    return Path.of("prometheus");
  }

  /**
   * Writes {@code dir/prometheus.yml} and {@code dir/targets.json}, starts the server storing
   * under {@code dir/data} and waits until it is ready.
   *
   * @param dir the server's folder (created)
   * @param logFile the server's log (appended)
   * @param targets the services to scrape (more with {@link #setTargets})
   * @throws IllegalStateException when the binary is missing, the port is busy, or the server
   *     exits or is not ready within {@link #START_TIMEOUT}; the message holds the tail of its log
   */
  public static PrometheusServer start(Path dir, Path logFile, List<Target> targets,
      Settings settings) {
    Path binary = settings.binary();
    if (!Files.isExecutable(binary) || Files.isDirectory(binary)) {
      throw new IllegalStateException("the prometheus binary was not found at " + binary
          + ": install Debian's package (apt-get install prometheus) or set -D"
          + BINARY_PROPERTY + "=/path/to/prometheus");
    }
    int port = Ports.freeOr(settings.port(), "Prometheus");
    Path config = dir.resolve("prometheus.yml").toAbsolutePath();
    Path targetsFile = dir.resolve("targets.json").toAbsolutePath();
    try {
      Files.createDirectories(dir.resolve("data"));
      writeAtomically(targetsFile, targetsJson(targets));
      Files.writeString(config, configJson(port, targetsFile, settings.scrapeInterval()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Prometheus folder " + dir, e);
    }
    List<String> command = List.of(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
        "--storage.tsdb.retention.time=1d",
        "--web.listen-address=" + Ports.HOST + ":" + port,
        "--log.level=info");
    URI url = url(port);
    ChildProcess process = ChildProcess.startReady(
        new ChildProcess.Spec("prometheus", command, dir, logFile, Map.of()),
        "Prometheus was not ready on " + url, START_TIMEOUT, Duration.ofMillis(200),
        ChildProcess.Probe.http(url.resolve("/-/ready"), status -> status == 200));
    return new PrometheusServer(process, port, config, targetsFile, settings.scrapeInterval(),
        List.copyOf(targets));
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return url(port);
  }

  private static URI url(int port) {
    return URI.create("http://" + Ports.HOST + ":" + port);
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** The generated configuration file. */
  public Path configFile() {
    return configFile;
  }

  /** The server's process. */
  public ChildProcess process() {
    return process;
  }

  /** The services it scrapes (besides itself). */
  public synchronized List<Target> targets() {
    return targets;
  }

  /**
   * Replaces the scraped services (e.g. after a service was restarted on another port);
   * Prometheus reads the file again within a second or two.
   */
  public synchronized void setTargets(List<Target> newTargets) {
    try {
      writeAtomically(targetsFile, targetsJson(newTargets));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Prometheus targets " + targetsFile, e);
    }
    targets = List.copyOf(newTargets);
  }

  /** The active targets as Prometheus reports them, itself included. */
  public List<TargetHealth> targetHealth() {
    JsonNode data = get("/api/v1/targets?state=active", "the targets");
    List<TargetHealth> result = new ArrayList<>();
    for (JsonNode t : data.path("activeTargets")) {
      result.add(new TargetHealth(t.path("labels").path(SERVICE_LABEL).asText(""),
          t.path("scrapeUrl").asText(), t.path("health").asText(),
          t.path("lastError").asText("")));
    }
    return result;
  }

  /**
   * Waits until Prometheus has scraped every target of {@link #targets()} and itself, with
   * success. Prometheus passes discovered targets on to its scrapers every 5 s, so this takes
   * 5 s or more after a start or {@link #setTargets}.
   *
   * @throws IllegalStateException after {@code timeout}, listing each target's health and last
   *     error
   */
  public void awaitTargetsUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<TargetHealth> health = targetHealth();
      long expected = targets().size() + 1L;
      if (health.size() >= expected && health.stream().allMatch(TargetHealth::up)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Prometheus at " + url() + " did not scrape all of its "
            + expected + " targets with success within " + timeout + "; expected " + this
            + ", discovered " + (health.isEmpty() ? "none yet" : health.toString()));
      }
      sleep(Duration.ofMillis(250));
    }
  }

  /** The answer to {@code promql} now (an instant query). */
  public List<Series> query(String promql) {
    return series(post("/api/v1/query", "query=" + encode(promql), promql), promql);
  }

  /** The answer to {@code promql} at {@code time}. */
  public List<Series> query(String promql, Instant time) {
    return series(post("/api/v1/query", "query=" + encode(promql) + "&time=" + seconds(time),
        promql), promql);
  }

  /**
   * Waits until {@code promql}'s first series has at least {@code samples} points since {@code
   * since} at the scrape interval's step, i.e. until that many scrapes have landed.
   *
   * @throws IllegalStateException if they have not within {@code timeout}
   */
  public void awaitSamples(String promql, Instant since, int samples, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Series> s = queryRange(promql, since, Instant.now(), scrapeInterval);
      if (!s.isEmpty() && s.get(0).samples().size() >= samples) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Prometheus at " + url() + " has not got " + samples
            + " samples of " + promql + " in " + timeout);
      }
      sleep(scrapeInterval.dividedBy(2));
    }
  }

  /**
   * The answer to {@code promql} at every {@code step} from {@code start} to {@code end} (a range
   * query, as a graph panel asks).
   */
  public List<Series> queryRange(String promql, Instant start, Instant end, Duration step) {
    if (!end.isAfter(start) || step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("a range query needs start before end and a positive "
          + "step, got " + start + ".." + end + " step " + step);
    }
    String form = "query=" + encode(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
        + "&step=" + String.format(Locale.ROOT, "%.3f", step.toMillis() / 1000.0);
    return series(post("/api/v1/query_range", form, promql), promql);
  }

  /**
   * The label sets of the series matching {@code selector} (e.g. a metric name) between {@code
   * start} and {@code end}.
   */
  public List<Map<String, String>> seriesLabels(String selector, Instant start, Instant end) {
    JsonNode data = post("/api/v1/series", "match[]=" + encode(selector) + "&start="
        + seconds(start) + "&end=" + seconds(end), selector);
    List<Map<String, String>> result = new ArrayList<>();
    for (JsonNode s : data) {
      result.add(labels(s));
    }
    return result;
  }

  /** Stops the server (idempotent); its data stays. */
  @Override
  public void close() {
    process.close();
  }

  private JsonNode get(String pathAndQuery, String what) {
    HttpRequest request = HttpRequest.newBuilder(url().resolve(pathAndQuery))
        .timeout(HTTP_TIMEOUT).GET().build();
    return send(request, what);
  }

  private JsonNode post(String path, String form, String what) {
    HttpRequest request = HttpRequest.newBuilder(url().resolve(path)).timeout(HTTP_TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
    return send(request, what);
  }

  /** Sends an API request; its {@code data}, or a {@link QueryException} naming the problem. */
  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Prometheus at " + url() + " did not answer "
          + request.uri().getPath() + " (" + what + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Prometheus for " + what, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new QueryException("Prometheus answered " + request.uri().getPath() + " with HTTP "
          + response.statusCode() + " and no JSON (" + what + "): "
          + abbreviate(response.body()));
    }
    if (!"success".equals(body.path("status").asText())) {
      throw new QueryException("Prometheus refused " + what + " (HTTP " + response.statusCode()
          + ", " + body.path("errorType").asText("no error type") + "): "
          + body.path("error").asText(abbreviate(response.body())));
    }
    return body.path("data");
  }

  private static List<Series> series(JsonNode data, String promql) {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    List<Series> series = new ArrayList<>();
    switch (type) {
      case "vector" -> {
        for (JsonNode s : result) {
          series.add(new Series(labels(s.path("metric")), List.of(sample(s.path("value")))));
        }
      }
      case "matrix" -> {
        for (JsonNode s : result) {
          List<Sample> samples = new ArrayList<>();
          for (JsonNode v : s.path("values")) {
            samples.add(sample(v));
          }
          series.add(new Series(labels(s.path("metric")), samples));
        }
      }
      case "scalar" -> series.add(new Series(Map.of(), List.of(sample(result))));
      default -> throw new QueryException("Prometheus answered " + promql + " with a "
          + type + ", not a number or series");
    }
    return series;
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : metric.properties()) {
      labels.put(e.getKey(), e.getValue().asText());
    }
    return labels;
  }

  /** {@code [<unix seconds>, "<value>"]}; values may be {@code NaN}, {@code +Inf}, {@code -Inf}. */
  private static Sample sample(JsonNode pair) {
    Instant time = Instant.ofEpochMilli(Math.round(pair.path(0).asDouble() * 1000));
    String text = pair.path(1).asText();
    double value = switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
    return new Sample(time, value);
  }

  /**
   * The configuration, as JSON (YAML's subset: Prometheus reads it as YAML): itself and the
   * targets file, every {@code interval}.
   */
  static String configJson(int port, Path targetsFile, Duration interval) {
    String every = interval.toMillis() + "ms";
    ObjectNode root = JSON.createObjectNode();
    root.putObject("global").put("scrape_interval", every).put("scrape_timeout", every)
        .put("evaluation_interval", every);
    ArrayNode jobs = root.putArray("scrape_configs");
    ObjectNode daflow = jobs.addObject().put("job_name", SCRAPE_JOB).put("honor_labels", true);
    daflow.putArray("file_sd_configs").addObject().put("refresh_interval", "1s")
        .putArray("files").add(targetsFile.toString());
    ObjectNode self = jobs.addObject().put("job_name", "prometheus");
    ObjectNode selfTargets = self.putArray("static_configs").addObject();
    selfTargets.putArray("targets").add(Ports.HOST + ":" + port);
    selfTargets.putObject("labels").put(SERVICE_LABEL, "prometheus");
    return toJson(root);
  }

  /** The {@code file_sd} file: one group per target, with its service and metrics path. */
  static String targetsJson(List<Target> targets) {
    ArrayNode groups = JSON.createArrayNode();
    for (Target t : targets) {
      ObjectNode group = groups.addObject();
      group.putArray("targets").add(t.address());
      group.putObject("labels").put(SERVICE_LABEL, t.service())
          .put("__metrics_path__", t.metricsPath());
    }
    return toJson(groups);
  }

  private static String toJson(JsonNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Writes a file Prometheus watches in one step, so it never reads half of it. */
  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String seconds(Instant time) {
    return String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // poll interval while waiting for scrapes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Prometheus' scrapes", e);
    }
  }

  /** The targets, for messages. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "Prometheus " + url() + " scraping [", "]");
    targets().forEach(t -> j.add(t.service() + "=" + t.address() + t.metricsPath()));
    return j.toString();
  }
}
