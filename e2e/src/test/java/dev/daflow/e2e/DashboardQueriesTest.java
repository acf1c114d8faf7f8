package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.daflow.e2e.DashboardQueries.Dashboard;
import dev.daflow.e2e.DashboardQueries.Panel;
import dev.daflow.e2e.DashboardQueries.Query;
import dev.daflow.e2e.DashboardQueries.Substitution;
import dev.daflow.testsupport.PrometheusServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed Grafana dashboards: every panel queries the provisioned Prometheus datasource,
 * the variables are defined, used and selected by regex (a text box variable only as the base of
 * a link), every metric comes from the services'
 * code (or a binder they turn on), legends name labels the query keeps, and Prometheus parses
 * every query.
 */
class DashboardQueriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATASOURCE_UID = "prometheus";
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)");
  private static final Pattern OUTER_AGGREGATION =
      Pattern.compile("^\\s*(?:sum|max|min|avg|count|group)\\s+by\\s*\\(([^)]*)\\)");

  @TempDir
  Path dir;

  private static List<Dashboard> dashboards() {
    return DashboardQueries.load(DashboardQueries.folder(), Substitution.DEFAULT);
  }

  private static JsonNode raw(String name) throws IOException {
    return JSON.readTree(DashboardQueries.folder().resolve(name + ".json").toFile());
  }

  @Test
  void theFourDashboardsLoadWithUniqueUids() throws IOException {
    List<Dashboard> all = dashboards();
    assertThat(all).extracting(Dashboard::name)
        .containsExactly("evaluation", "inference", "platform", "training");
    assertThat(all).extracting(Dashboard::uid).doesNotHaveDuplicates()
        .allSatisfy(uid -> assertThat(uid).startsWith("daflow-"));
    for (Dashboard d : all) {
      JsonNode root = raw(d.name());
      assertThat(root.path("schemaVersion").asInt()).as(d.name()).isBetween(36, 41);
      assertThat(root.path("tags").toString()).as(d.name()).contains("daflow");
      assertThat(d.panels()).as(d.name()).hasSizeGreaterThanOrEqualTo(6)
          .extracting(Panel::title).doesNotHaveDuplicates();
    }
  }

  @Test
  void everyPanelQueriesThePrometheusDatasource() throws IOException {
    for (Dashboard d : dashboards()) {
      for (Panel p : d.panels()) {
        assertThat(p.queries()).as(d.name() + " / " + p.title()).isNotEmpty()
            .allSatisfy(q -> assertThat(q.rawExpr()).isNotBlank())
            .extracting(Query::refId).doesNotHaveDuplicates();
      }
      for (JsonNode p : raw(d.name()).path("panels")) {
        String where = d.name() + " / " + p.path("title").asText();
        assertThat(p.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE_UID);
        for (JsonNode t : p.path("targets")) {
          assertThat(t.path("datasource").path("uid").asText()).as(where)
              .isEqualTo(DATASOURCE_UID);
        }
        assertThat(p.path("gridPos").path("w").asInt()).as(where).isBetween(1, 24);
      }
    }
  }

  @Test
  void variablesAreLabelValueQueriesUsedAndSelectedByRegex() throws IOException {
    for (Dashboard d : dashboards()) {
      assertThat(d.variables()).as(d.name()).isNotEmpty();
      List<String> exprs = new ArrayList<>();
      d.panels().forEach(p -> p.queries().forEach(q -> exprs.add(q.rawExpr())));
      for (JsonNode v : raw(d.name()).path("templating").path("list")) {
        String name = v.path("name").asText();
        String where = d.name() + " variable " + name;
        if (v.path("type").asText().equals("textbox")) {
          // An address for links (the Model reports table's evaluator URL), in no query.
          assertThat(v.path("query").asText()).as(where).matches("https?://[^\\s$]+")
              .isEqualTo(v.path("current").path("value").asText());
          assertThat(raw(d.name()).path("panels").toString()).as(where + " is a link's base")
              .contains("\"url\":\"${" + name + "}/");
          assertThat(exprs).as(where).noneMatch(e -> e.contains("$" + name));
          continue;
        }
        assertThat(v.path("type").asText()).as(where).isEqualTo("query");
        assertThat(v.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE_UID);
        Matcher lv = LABEL_VALUES.matcher(v.path("definition").asText());
        assertThat(lv.matches()).as(where + ": " + v.path("definition")).isTrue();
        assertThat(lv.group(2)).as(where + ": the label it lists").isEqualTo(name);
        assertThat(v.path("query").path("query").asText()).as(where)
            .isEqualTo(v.path("definition").asText());
        assertThat(v.path("includeAll").asBoolean()).as(where).isTrue();
        assertThat(v.path("allValue").asText()).as(where).isEqualTo(DashboardQueries.ALL);

        String selector = name + "=~\"$" + name + "\"";
        assertThat(exprs).as(where + " is used").anySatisfy(e -> assertThat(e).contains(selector));
        for (String e : exprs) {
          assertThat(count(e, "$" + name)).as(where + ": every use is " + selector + " in " + e)
              .isEqualTo(count(e, selector));
        }
      }
      d.panels().forEach(p -> p.queries().forEach(q -> assertThat(q.expr())
          .as(d.name() + " / " + p.title()).doesNotContain("$")));
    }
  }

  @Test
  void everyMetricComesFromTheServicesCodeOrABinderTheyTurnOn() throws IOException {
    Path root = DashboardMetricNames.repoRoot();
    Set<String> known = new TreeSet<>(DashboardMetricNames.fromCode(root));
    assertThat(known).as("meters found in the services' code")
        .contains("daflow_training_loss", "daflow_training_jobs_finished_total",
            "daflow_evaluation_accuracy", "daflow_evaluation_seconds_count",
            "daflow_inference_requests_total", "daflow_dataset_bytes",
            "daflow_nd4j_offheap_bytes", "daflow_events_malformed_total");
    known.addAll(DashboardMetricNames.BINDER_METRICS.keySet());

    List<String> unknown = new ArrayList<>();
    List<String> notEnabled = new ArrayList<>();
    for (Dashboard d : dashboards()) {
      List<String> exprs = new ArrayList<>();
      d.panels().forEach(p -> p.queries().forEach(q -> exprs.add(p.title() + ": " + q.expr())));
      for (JsonNode v : raw(d.name()).path("templating").path("list")) {
        Matcher lv = LABEL_VALUES.matcher(v.path("definition").asText());
        if (lv.matches()) {
          exprs.add("variable " + v.path("name").asText() + ": " + lv.group(1));
        }
      }
      for (String e : exprs) {
        String expr = e.substring(e.indexOf(": ") + 2);
        Set<String> metrics = DashboardQueries.metricNames(expr);
        assertThat(metrics).as(d.name() + " / " + e).isNotEmpty();
        for (String m : metrics) {
          if (!known.contains(m)) {
            unknown.add(m + " (" + d.name() + " / " + e + ")");
          } else if (!DashboardMetricNames.enabled(root, m)) {
            notEnabled.add(m + ": no service has " + DashboardMetricNames.BINDER_METRICS.get(m));
          }
        }
      }
    }
    assertThat(unknown).as("metrics no service exports; known: " + known).isEmpty();
    assertThat(notEnabled).isEmpty();
  }

  @Test
  void theInferenceTimerPublishesTheBucketsOfItsLatencyQuantiles() {
    Set<String> known = DashboardMetricNames.fromCode(DashboardMetricNames.repoRoot());
    assertThat(known).contains("daflow_inference_seconds_bucket")
        .doesNotContain("daflow_evaluation_seconds_bucket");
    Dashboard inference = dashboards().stream().filter(d -> d.name().equals("inference"))
        .findFirst().orElseThrow();
    Panel latency = inference.panels().stream().filter(p -> p.title().startsWith("Latency"))
        .findFirst().orElseThrow();
    assertThat(latency.queries()).extracting(Query::legend).containsExactly("p50", "p95", "p99");
    assertThat(latency.queries()).allSatisfy(q -> assertThat(q.expr())
        .startsWith("histogram_quantile(0.").contains("daflow_inference_seconds_bucket")
        .contains("by (le)"));
  }

  @Test
  void legendsNameOnlyLabelsTheAggregationKeeps() {
    for (Dashboard d : dashboards()) {
      for (Panel p : d.panels()) {
        for (Query q : p.queries()) {
          Matcher m = OUTER_AGGREGATION.matcher(q.expr());
          if (m.find()) {
            Set<String> kept = new TreeSet<>();
            for (String l : m.group(1).split(",")) {
              kept.add(l.strip());
            }
            assertThat(kept).as(d.name() + " / " + p.title() + " legend " + q.legend())
                .containsAll(DashboardQueries.legendLabels(q.legend()));
          }
        }
      }
    }
  }

  @Test
  void substitutesVariablesAndIntervalsAndRefusesUnknownOnes() {
    Substitution s = new Substitution(Duration.ofSeconds(30), Duration.ofMinutes(20));
    assertThat(DashboardQueries.substitute(
        "sum by (le) (rate(x_bucket{job=~\"$job\", model=~\"${model}\"}[$__rate_interval]))"
            + " / $__range_s + increase(y[$__range])", Set.of("job", "model"), s, "test"))
        .isEqualTo("sum by (le) (rate(x_bucket{job=~\".+\", model=~\".+\"}[30s]))"
            + " / 1200 + increase(y[1200s])");
    assertThatThrownBy(() -> DashboardQueries.substitute("up{x=~\"$nope\"}", Set.of("job"), s,
        "training / \"Loss\" [A]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("training / \"Loss\" [A]").hasMessageContaining("$nope");
  }

  @Test
  void findsTheMetricNamesOfAnExpression() {
    assertThat(DashboardQueries.metricNames("histogram_quantile(0.95, sum by (le) "
        + "(rate(daflow_inference_seconds_bucket{model=~\".+\", le!=\"x\"}[30s])))"))
        .containsExactly("daflow_inference_seconds_bucket");
    assertThat(DashboardQueries.metricNames("daflow_training_epoch{job=~\".+\"} / "
        + "clamp_min(daflow_training_epochs{job=~\".+\"}, 1e0) offset 5m"))
        .containsExactly("daflow_training_epoch", "daflow_training_epochs");
    assertThat(DashboardQueries.metricNames("max by (service, client_id) "
        + "(kafka_consumer_fetch_manager_records_lag_max{service=~\".+\"} >= 0) or on() up"))
        .containsExactly("kafka_consumer_fetch_manager_records_lag_max", "up");
  }

  @Test
  void prometheusParsesEveryQueryAndTheCheckNamesTheEmptyPanels() {
    Instant start = Instant.now();
    try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
        dir.resolve("prometheus.log"), List.of(),
        PrometheusServer.Settings.local().withScrapeInterval(Duration.ofMillis(500)))) {
      prometheus.awaitTargetsUp(Duration.ofSeconds(30));
      // A few scrapes after the first, so that a 1 s step lands after one.
      prometheus.awaitSamples("up", start, 4, Duration.ofSeconds(30));
      Path out = dir.resolve("dashboards");
      DashboardsCheck.Result result =
          new DashboardsCheck(prometheus, DashboardQueries.folder(), out)
              .run(start, Instant.now());

      // Only Prometheus itself is scraped: no query may fail, the DAFlow panels are empty.
      assertThat(result.findings()).noneSatisfy(f -> assertThat(f.problem())
          .startsWith("Prometheus error"));
      assertThat(result.findings()).extracting(DashboardsCheck.Finding::panel)
          .contains("Loss per job and loss kind", "Latency p50 / p95 / p99")
          .doesNotContain("Targets up");
      assertThat(result.queries()).isEqualTo(result.findings().size() + 1);
      assertThat(result.dumps()).extracting(f -> f.getFileName().toString())
          .containsExactly("evaluation.json", "inference.json", "platform.json",
              "training.json");
      assertThat(out.resolve("platform.json")).content().contains("\"Targets up\"",
          "\"service\" : \"prometheus\"");

      String report = result.describe();
      assertThat(report).contains("training / \"Loss per job and loss kind\" [A]: no data",
          "daflow_training_loss{job=~\".+\"}",
          "metric daflow_training_loss: no series at all",
          "prometheus http://127.0.0.1:" + prometheus.port() + "/metrics up");
      assertThatThrownBy(() -> new DashboardsCheck(prometheus, DashboardQueries.folder(), out)
          .verify(start, Instant.now()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("queries of " + result.panels() + " dashboard panels return "
              + "nothing to draw");
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
