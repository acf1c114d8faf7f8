package dev.daflow.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus names of what the services export, read from their code: each Micrometer
 * {@code Counter}, {@code Gauge}, {@code Timer} or {@code DistributionSummary} built in {@code
 * <service>/src/main/java} or in the library they share ({@link #SHARED}), named as Micrometer's
 * Prometheus registry names it ({@code _total} on
 * counters, {@code _seconds_count/_sum/_max} on timers, {@code _bucket} only where the builder
 * publishes a histogram), and the binders' metrics the dashboards read, each with what turns it
 * on in the services.
 */
final class DashboardMetricNames {
  /** The service modules. */
  static final List<String> SERVICES =
      List.of("data-service", "trainer-service", "evaluator-service", "inference-service");
  /** The Quarkus library every service depends on, whose meters each service exports. */
  static final String SHARED = "service-common";

  /**
   * Metrics of Micrometer's binders and of Prometheus, by what must appear in a service's code or
   * {@code application.properties} for them to exist.
   */
  static final Map<String, String> BINDER_METRICS = binderMetrics();

  private static final Pattern BUILDER = Pattern.compile(
      "\\b(Counter|FunctionCounter|Gauge|TimeGauge|Timer|DistributionSummary)\\s*\\.\\s*builder"
          + "\\(\\s*\"([^\"]+)\"");
  /** A method whose first parameter is a {@code String} name: {@code void gauge(String name, }. */
  private static final Pattern HELPER =
      Pattern.compile("\\b(\\w+)\\(\\s*String\\s+(\\w+)\\s*[,)][^;{]*\\{");
  private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([^\"]+)\"");

  private DashboardMetricNames() {}

  private static Map<String, String> binderMetrics() {
    Map<String, String> m = new TreeMap<>();
    String jvm = "quarkus.micrometer.binder.jvm=true";
    for (String n : List.of("jvm_memory_used_bytes", "jvm_memory_committed_bytes",
        "jvm_memory_max_bytes", "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum",
        "jvm_gc_pause_seconds_max")) {
      m.put(n, jvm);
    }
    String http = "quarkus.micrometer.binder.http-server.enabled=true";
    for (String n : List.of("http_server_requests_seconds_count",
        "http_server_requests_seconds_sum", "http_server_requests_seconds_max")) {
      m.put(n, http);
    }
    // KafkaClientMetrics: "kafka." + the Kafka metric's group without "-metrics" + its name,
    // dashes as dots (consumer-fetch-manager-metrics / records-lag-max).
    String kafka = "new KafkaClientMetrics(";
    m.put("kafka_consumer_fetch_manager_records_lag_max", kafka);
    m.put("kafka_consumer_fetch_manager_records_lag", kafka);
    m.put("up", ""); // Prometheus' own, per target
    return m;
  }

  /** The repository root: the folder holding the service modules (here or the parent). */
  static Path repoRoot() {
    for (Path candidate : List.of(Path.of(""), Path.of(".."))) {
      if (Files.isDirectory(candidate.resolve("trainer-service/src/main/java"))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("the service modules are not under "
        + Path.of("").toAbsolutePath() + " nor its parent");
  }

  /** The Prometheus names of the meters built in the services' code. */
  static Set<String> fromCode(Path root) {
    Set<String> names = new TreeSet<>();
    for (String module : codeModules()) {
      for (String source : sources(root.resolve(module).resolve("src/main/java"))) {
        names.addAll(fromSource(source));
      }
    }
    return names;
  }

  /**
   * The Prometheus names of the meters built in one Java source: {@code Gauge.builder("name",
   * ...)}, and helper methods that build a meter from their first parameter, called with a
   * literal name ({@code gauge("daflow_training_lambda", ...)} over {@code
   * Gauge.builder(name, ...)}).
   */
  static Set<String> fromSource(String source) {
    Set<String> names = new TreeSet<>();
    Matcher m = BUILDER.matcher(source);
    while (m.find()) {
      names.addAll(prometheusNames(m.group(1), m.group(2), chain(source, m.end())));
    }
    Matcher helper = HELPER.matcher(source);
    while (helper.find()) {
      String method = helper.group(1);
      Matcher built = Pattern.compile("\\b(Counter|FunctionCounter|Gauge|TimeGauge|Timer|"
          + "DistributionSummary)\\s*\\.\\s*builder\\(\\s*" + helper.group(2) + "\\b")
          .matcher(source);
      built.region(helper.end(), bodyEnd(source, helper.end()));
      if (!built.find()) {
        continue;
      }
      String chain = chain(source, built.end());
      Matcher call = Pattern.compile("\\b" + method + "\\(\\s*\"([^\"]+)\"").matcher(source);
      while (call.find()) {
        names.addAll(prometheusNames(built.group(1), call.group(1), chain));
      }
    }
    return names;
  }

  /** Where the block opened just before {@code from} closes (braces counted). */
  private static int bodyEnd(String source, int from) {
    int depth = 1;
    for (int i = from; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return source.length();
  }

  /** The builder calls after a meter's name, up to its {@code register(}. */
  private static String chain(String source, int from) {
    int register = source.indexOf(".register(", from);
    return source.substring(from, register < 0 ? source.length() : register);
  }

  private static List<String> prometheusNames(String type, String name, String chain) {
    Matcher unit = BASE_UNIT.matcher(chain);
    boolean histogram = chain.contains(".publishPercentileHistogram()")
        || chain.contains(".publishPercentileHistogram(true)")
        || chain.contains(".serviceLevelObjectives(");
    return prometheusNames(type, name, unit.find() ? unit.group(1) : null, histogram);
  }

  /**
   * The names Micrometer's Prometheus registry gives a meter: dots as underscores, the base unit
   * appended, {@code _total} on counters; a timer in seconds with {@code _count}, {@code _sum},
   * {@code _max} and, with a histogram, {@code _bucket}.
   */
  static List<String> prometheusNames(String type, String name, String baseUnit,
      boolean histogram) {
    String base = name.replace('.', '_');
    String unit = switch (type) {
      case "Timer", "TimeGauge" -> "seconds";
      default -> baseUnit;
    };
    if (unit != null && !base.endsWith("_" + unit)) {
      base = base + "_" + unit;
    }
    List<String> names = new ArrayList<>();
    switch (type) {
      case "Counter", "FunctionCounter" -> names.add(base.endsWith("_total") ? base
          : base + "_total");
      case "Gauge", "TimeGauge" -> names.add(base);
      default -> {
        names.addAll(List.of(base + "_count", base + "_sum", base + "_max"));
        if (histogram) {
          names.add(base + "_bucket");
        }
      }
    }
    return names;
  }

  /**
   * Whether what turns {@code metric} on appears in a service's {@code application.properties}
   * or in the code of a service or of {@link #SHARED} ({@link #BINDER_METRICS}); true for the
   * daflow meters found in the code.
   */
  static boolean enabled(Path root, String metric) {
    String needle = BINDER_METRICS.get(metric);
    if (needle == null || needle.isEmpty()) {
      return true;
    }
    for (String service : SERVICES) {
      Path properties = root.resolve(service).resolve("src/main/resources/application.properties");
      try {
        if (Files.exists(properties) && Files.readString(properties).contains(needle)) {
          return true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + properties, e);
      }
    }
    // The code that turns a binder on: a service's own, or the library they share.
    for (String module : codeModules()) {
      if (sources(root.resolve(module).resolve("src/main/java")).stream()
          .anyMatch(s -> s.contains(needle))) {
        return true;
      }
    }
    return false;
  }

  /** The modules whose code builds meters: the services and {@link #SHARED}. */
  private static List<String> codeModules() {
    List<String> modules = new ArrayList<>(SERVICES);
    modules.add(SHARED);
    return modules;
  }

  private static List<String> sources(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> texts = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        texts.add(Files.readString(f));
      }
      return texts;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sources under " + dir, e);
    }
  }
}
