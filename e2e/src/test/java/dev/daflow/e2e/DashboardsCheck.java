package dev.daflow.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.e2e.DashboardQueries.Dashboard;
import dev.daflow.e2e.DashboardQueries.Panel;
import dev.daflow.e2e.DashboardQueries.Query;
import dev.daflow.testsupport.PrometheusServer.Sample;
import dev.daflow.testsupport.PrometheusServer.Series;
import dev.daflow.testsupport.PrometheusServer.TargetHealth;
import dev.daflow.testsupport.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Proof that no dashboard panel a user opens is empty: every query of every panel of the
 * repository's dashboards ({@link DashboardQueries}, variables on "All") is sent to a Prometheus
 * that scraped the running services, as a range query over the run, and must return a series with
 * at least one drawable (finite) value. Each dashboard's answers are written to {@code
 * <out>/<dashboard>.json} (what {@code observability/plot_dashboards.py} draws), whatever the
 * outcome.
 *
 * <p>Usage from an end-to-end test, once the platform has done its work:
 *
 * <pre>{@code
 * new DashboardsCheck(prometheus).verify(platformStarted, Instant.now());
 * }</pre>
 *
 * A failure lists each empty query with its dashboard, panel, expression and, per metric it reads,
 * what Prometheus holds of that metric, then the scrape targets' health: enough to fix the
 * dashboard or the service from the log alone.
 */
public final class DashboardsCheck {
  /** Where the answers go by default (the module's build folder). */
  public static final Path DEFAULT_OUT = Path.of("target", "dashboards");
  /** What {@code $__rate_interval} becomes: several scrapes at the tests' 1-2 s interval. */
  public static final Duration RATE_INTERVAL = Duration.ofSeconds(30);
  /** At most about this many points per series (the step grows with the range). */
  public static final int MAX_POINTS = 400;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int EXAMPLES = 3;

  private final PrometheusServer prometheus;
  private final Path dashboards;
  private final Path out;

  /** Checks the repository's dashboards, answers to {@link #DEFAULT_OUT}. */
  public DashboardsCheck(PrometheusServer prometheus) {
    this(prometheus, DashboardQueries.folder(), DEFAULT_OUT);
  }

  /**
   * Checks the dashboards of {@code dashboards}, answers to {@code out}.
   *
   * @param prometheus the server that scraped the services
   * @param dashboards the folder of the dashboards' JSON files
   * @param out where each dashboard's answers go (created)
   */
  public DashboardsCheck(PrometheusServer prometheus, Path dashboards, Path out) {
    this.prometheus = prometheus;
    this.dashboards = dashboards;
    this.out = out;
  }

  /**
   * A query that returns nothing to draw.
   *
   * @param dashboard the dashboard's name, e.g. {@code training}
   * @param panel the panel's title
   * @param refId the query's id in the panel
   * @param expr the expression sent (variables replaced)
   * @param problem {@code no data}, {@code no finite value} or Prometheus' error
   * @param hints what Prometheus holds of each metric the expression reads
   */
  public record Finding(String dashboard, String panel, String refId, String expr,
      String problem, List<String> hints) {
    /** Copies the list. */
    public Finding {
      hints = List.copyOf(hints);
    }

    /** Several lines: where, what, the expression, the hints. */
    public String describe() {
      StringBuilder b = new StringBuilder("  ").append(dashboard).append(" / \"").append(panel)
          .append("\" [").append(refId).append("]: ").append(problem).append("\n      ")
          .append(expr);
      hints.forEach(h -> b.append("\n      ").append(h));
      return b.toString();
    }
  }

  /**
   * The outcome.
   *
   * @param start the range's start
   * @param end the range's end
   * @param step the range queries' step
   * @param panels how many panels were checked
   * @param queries how many queries were sent
   * @param findings the queries with nothing to draw
   * @param dumps the answer files written
   * @param targets Prometheus' scrape targets at the end
   */
  public record Result(Instant start, Instant end, Duration step, int panels, int queries,
      List<Finding> findings, List<Path> dumps, List<TargetHealth> targets) {
    /** Copies the lists. */
    public Result {
      findings = List.copyOf(findings);
      dumps = List.copyOf(dumps);
      targets = List.copyOf(targets);
    }

    /** Whether every query returned something to draw. */
    public boolean ok() {
      return findings.isEmpty();
    }

    /** A report for a test failure or a log. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      if (ok()) {
        b.append("all ").append(queries).append(" queries of ").append(panels)
            .append(" dashboard panels return data");
      } else {
        b.append(findings.size()).append(" of ").append(queries).append(" queries of ")
            .append(panels).append(" dashboard panels return nothing to draw");
      }
      b.append(" between ").append(start).append(" and ").append(end).append(" (range queries, ")
          .append("step ").append(step.toSeconds()).append(" s; variables on All = \"")
          .append(DashboardQueries.ALL).append("\", $__rate_interval = ")
          .append(RATE_INTERVAL.toSeconds()).append("s)");
      if (!ok()) {
        b.append(":");
        findings.forEach(f -> b.append("\n").append(f.describe()));
      }
      b.append("\nPrometheus targets at the end:");
      targets.forEach(t -> b.append("\n  ").append(t));
      if (!dumps.isEmpty()) {
        b.append("\nAnswers written to ").append(dumps.get(0).toAbsolutePath().getParent());
      }
      return b.toString();
    }
  }

  /**
   * Sends every query over {@code start..end}, writes the answers and returns what was found.
   *
   * @throws IllegalArgumentException when {@code end} is not after {@code start}
   */
  public Result run(Instant start, Instant end) {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("the checked range is empty: " + start + " .. " + end);
    }
    Duration range = Duration.between(start, end);
    Duration step = step(range);
    List<Dashboard> all = DashboardQueries.load(dashboards,
        new DashboardQueries.Substitution(RATE_INTERVAL, range));
    List<Finding> findings = new ArrayList<>();
    List<Path> dumps = new ArrayList<>();
    int panels = 0;
    int queries = 0;
    for (Dashboard d : all) {
      ObjectNode dump = JSON.createObjectNode().put("dashboard", d.name()).put("uid", d.uid())
          .put("title", d.title()).put("prometheus", prometheus.url().toString())
          .put("start", start.toEpochMilli() / 1000.0).put("end", end.toEpochMilli() / 1000.0)
          .put("stepSeconds", step.toSeconds());
      ArrayNode panelDumps = dump.putArray("panels");
      for (Panel p : d.panels()) {
        panels++;
        ObjectNode panelDump = panelDumps.addObject().put("title", p.title())
            .put("type", p.type()).put("unit", p.unit());
        ArrayNode queryDumps = panelDump.putArray("queries");
        if (p.queries().isEmpty()) {
          findings.add(new Finding(d.name(), p.title(), "-", "", "the panel has no query",
              List.of()));
        }
        for (Query q : p.queries()) {
          queries++;
          ObjectNode queryDump = queryDumps.addObject().put("refId", q.refId())
              .put("expr", q.expr()).put("legend", q.legend());
          checkQuery(d, p, q, start, end, step, queryDump).ifPresent(findings::add);
        }
      }
      dumps.add(write(d.name(), dump));
    }
    return new Result(start, end, step, panels, queries, findings, dumps,
        prometheus.targetHealth());
  }

  /**
   * {@link #run}, then fails when a query has nothing to draw.
   *
   * @throws AssertionError with {@link Result#describe()} when a query returned nothing to draw
   */
  public Result verify(Instant start, Instant end) {
    Result result = run(start, end);
    if (!result.ok()) {
      throw new AssertionError(result.describe());
    }
    return result;
  }

  /** The step giving at most {@link #MAX_POINTS} points, whole seconds, at least one. */
  static Duration step(Duration range) {
    long seconds = (range.toSeconds() + MAX_POINTS - 1) / MAX_POINTS;
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  private Optional<Finding> checkQuery(Dashboard d, Panel p, Query q, Instant start,
      Instant end, Duration step, ObjectNode queryDump) {
    List<Series> series;
    try {
      series = prometheus.queryRange(q.expr(), start, end, step);
    } catch (PrometheusServer.QueryException e) {
      queryDump.put("error", e.getMessage());
      return Optional.of(new Finding(d.name(), p.title(), q.refId(), q.expr(),
          "Prometheus error: " + e.getMessage(), List.of()));
    }
    ArrayNode seriesDumps = queryDump.putArray("series");
    for (Series s : series) {
      ObjectNode sd = seriesDumps.addObject();
      ObjectNode labels = sd.putObject("labels");
      new TreeMap<>(s.labels()).forEach(labels::put);
      ArrayNode values = sd.putArray("values");
      for (Sample v : s.samples()) {
        ArrayNode point = values.addArray().add(v.time().toEpochMilli() / 1000.0);
        if (Double.isFinite(v.value())) {
          point.add(v.value());
        } else {
          point.addNull();
        }
      }
    }
    if (series.stream().anyMatch(Series::hasFiniteValue)) {
      return Optional.empty();
    }
    String problem = series.isEmpty() ? "no data"
        : "no finite value in " + series.size() + " series (NaN or infinite only: a ratio or "
            + "quantile over no events?)";
    return Optional.of(new Finding(d.name(), p.title(), q.refId(), q.expr(), problem,
        hints(q.expr(), start, end)));
  }

  /** Per metric the expression reads: how many series Prometheus holds, with examples. */
  private List<String> hints(String expr, Instant start, Instant end) {
    List<String> hints = new ArrayList<>();
    for (String metric : DashboardQueries.metricNames(expr)) {
      try {
        List<Map<String, String>> labels = prometheus.seriesLabels(metric, start, end);
        if (labels.isEmpty()) {
          hints.add("metric " + metric + ": no series at all in the range (not exported by any "
              + "scraped service, or not yet: registered lazily?)");
        } else {
          List<Map<String, String>> examples = labels.stream().limit(EXAMPLES).map(l -> {
            Map<String, String> m = new TreeMap<>(l);
            m.remove("__name__");
            return (Map<String, String>) m;
          }).toList();
          hints.add("metric " + metric + ": " + labels.size() + " series, e.g. " + examples);
        }
      } catch (RuntimeException e) {
        hints.add("metric " + metric + ": cannot list its series: " + e.getMessage());
      }
    }
    return hints;
  }

  private Path write(String name, ObjectNode dump) {
    Path file = out.resolve(name + ".json");
    try {
      Files.createDirectories(out);
      JSON.writeValue(file.toFile(), dump);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the dashboard answers " + file, e);
    }
  }
}
