package dev.daflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL of the repository's Grafana dashboards ({@value #FOLDER}/*.json), each panel's
 * queries with the template variables replaced, ready to send to Prometheus: a dashboard variable
 * ({@code $job}, {@code $model}, ...) becomes {@value #ALL} (the "All" choice), {@code
 * $__rate_interval} and {@code $__interval} a fixed window, {@code $__range} the checked range.
 */
public final class DashboardQueries {
  /** The dashboards' folder, relative to the repository root. */
  public static final String FOLDER = "observability/grafana/dashboards";
  /** What a dashboard variable becomes: every value, as the dashboards' "All" choice. */
  public static final String ALL = ".+";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code $name}, {@code ${name}}, {@code ${name:format}} or {@code [[name]]}. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)(?::[^\\]]*)?]]");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\""
      + "|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
      "start", "end");

  private DashboardQueries() {}

  /**
   * One query of a panel.
   *
   * @param refId its id in the panel, e.g. {@code A}
   * @param rawExpr the expression as the dashboard holds it
   * @param expr the expression with the variables replaced
   * @param legend the legend format, e.g. {@code {{job}} {{loss}}}
   */
  public record Query(String refId, String rawExpr, String expr, String legend) {}

  /**
   * A panel.
   *
   * @param title its title
   * @param type e.g. {@code timeseries}, {@code stat}
   * @param unit its unit ({@code fieldConfig.defaults.unit}), empty when none
   * @param queries its queries, in order
   */
  public record Panel(String title, String type, String unit, List<Query> queries) {
    /** Copies the list. */
    public Panel {
      queries = List.copyOf(queries);
    }
  }

  /**
   * A dashboard.
   *
   * @param name its file name without {@code .json}, e.g. {@code training}
   * @param uid its Grafana uid
   * @param title its title
   * @param variables its template variables' names
   * @param panels its panels (those of collapsed rows included; rows themselves left out)
   */
  public record Dashboard(String name, String uid, String title, List<String> variables,
      List<Panel> panels) {
    /** Copies the lists. */
    public Dashboard {
      variables = List.copyOf(variables);
      panels = List.copyOf(panels);
    }
  }

  /**
   * What the built-in interval variables become.
   *
   * @param rateInterval {@code $__rate_interval} and {@code $__interval}
   * @param range {@code $__range} (the dashboard's time range)
   */
  public record Substitution(Duration rateInterval, Duration range) {
    /** A 30 s rate window over a one-hour range. */
    public static final Substitution DEFAULT =
        new Substitution(Duration.ofSeconds(30), Duration.ofHours(1));
  }

  /**
   * The dashboards folder: {@value #FOLDER} from the repository root, or from a module's folder
   * (as Maven runs the tests).
   */
  public static Path folder() {
    Path here = Path.of(FOLDER);
    if (Files.isDirectory(here)) {
      return here;
    }
    Path up = Path.of("..").resolve(FOLDER).normalize();
    if (Files.isDirectory(up)) {
      return up;
    }
    throw new IllegalStateException("the dashboards folder " + FOLDER + " is not under "
        + Path.of("").toAbsolutePath() + " nor its parent");
  }

  /** Every dashboard of {@code folder} (its {@code *.json}, by name). */
  public static List<Dashboard> load(Path folder, Substitution substitution) {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> json = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
          .toList();
      if (json.isEmpty()) {
        throw new IllegalStateException("no dashboard (*.json) in " + folder.toAbsolutePath());
      }
      List<Dashboard> dashboards = new ArrayList<>();
      for (Path f : json) {
        dashboards.add(read(f, substitution));
      }
      return dashboards;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the dashboards in " + folder, e);
    }
  }

  /** One dashboard file. */
  public static Dashboard read(Path file, Substitution substitution) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard " + file + ": "
          + e.getMessage(), e);
    }
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    List<String> variables = new ArrayList<>();
    for (JsonNode v : root.path("templating").path("list")) {
      variables.add(v.path("name").asText());
    }
    List<Panel> panels = new ArrayList<>();
    for (JsonNode p : panelNodes(root.path("panels"))) {
      String title = p.path("title").asText();
      List<Query> queries = new ArrayList<>();
      for (JsonNode t : p.path("targets")) {
        String raw = t.path("expr").asText("");
        String where = name + " / \"" + title + "\" [" + t.path("refId").asText() + "]";
        queries.add(new Query(t.path("refId").asText(), raw,
            substitute(raw, Set.copyOf(variables), substitution, where),
            t.path("legendFormat").asText("")));
      }
      panels.add(new Panel(title, p.path("type").asText(),
          p.path("fieldConfig").path("defaults").path("unit").asText(""), queries));
    }
    return new Dashboard(name, root.path("uid").asText(), root.path("title").asText(), variables,
        panels);
  }

  /** The panels, with those inside rows; the rows left out. */
  private static List<JsonNode> panelNodes(JsonNode panels) {
    List<JsonNode> result = new ArrayList<>();
    for (JsonNode p : panels) {
      if ("row".equals(p.path("type").asText())) {
        result.addAll(panelNodes(p.path("panels")));
      } else {
        result.add(p);
      }
    }
    return result;
  }

  /**
   * {@code expr} with each variable replaced.
   *
   * @param variables the dashboard's variables, each replaced by {@value #ALL}
   * @param where the panel and query, for the error
   * @throws IllegalArgumentException naming a variable the dashboard does not define
   */
  public static String substitute(String expr, Set<String> variables, Substitution s,
      String where) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2)
          : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(value(name, variables, s, where)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String value(String name, Set<String> variables, Substitution s,
      String where) {
    long rate = s.rateInterval().toSeconds();
    long range = s.range().toSeconds();
    return switch (name) {
      case "__rate_interval", "__interval" -> rate + "s";
      case "__interval_ms" -> Long.toString(rate * 1000);
      case "__range" -> range + "s";
      case "__range_s" -> Long.toString(range);
      case "__range_ms" -> Long.toString(range * 1000);
      default -> {
        if (!variables.contains(name)) {
          throw new IllegalArgumentException(where + " uses $" + name + ", which is neither a "
              + "variable of the dashboard " + variables + " nor a built-in interval");
        }
        yield ALL;
      }
    };
  }

  /**
   * The metric names an expression reads, e.g. {@code daflow_training_loss} in {@code
   * max by (job) (daflow_training_loss{job=~".+"})}: identifiers outside strings, label
   * matchers, ranges and groupings that are neither functions nor keywords.
   */
  public static Set<String> metricNames(String expr) {
    String rest = STRING.matcher(expr).replaceAll("\"\"");
    rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^\\]]*]", " ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    rest = rest.replaceAll("\\boffset\\s+-?\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      if (!KEYWORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The labels a legend format names: {@code job} and {@code loss} in {@code {{job}} {{loss}}}. */
  public static Set<String> legendLabels(String legend) {
    Set<String> labels = new LinkedHashSet<>();
    Matcher m = LEGEND_LABEL.matcher(legend);
    while (m.find()) {
      labels.add(m.group(1));
    }
    return labels;
  }
}
