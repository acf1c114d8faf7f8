package dev.daflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.daflow.local.ChildProcess;
import dev.daflow.local.Ports;
import dev.daflow.testsupport.PrometheusServer.Series;
import dev.daflow.testsupport.PrometheusServer.Settings;
import dev.daflow.testsupport.PrometheusServer.Target;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scraping itself and a small metrics endpoint shaped like a
 * DAFlow service's.
 */
class PrometheusServerTest {
  private static final Settings FAST =
      Settings.local().withScrapeInterval(Duration.ofMillis(500));

  @TempDir
  Path dir;

  @Test
  void scrapesItselfAndAnswersInstantAndRangeQueries() {
    Instant start = Instant.now();
    try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
        dir.resolve("logs/prometheus.log"), List.of(), FAST)) {
      prometheus.awaitTargetsUp(Duration.ofSeconds(30));

      List<Series> up = prometheus.query("up{service=\"prometheus\"}");
      assertThat(up).hasSize(1);
      assertThat(up.get(0).labels()).containsEntry("job", "prometheus")
          .containsEntry("instance", "127.0.0.1:" + prometheus.port());
      assertThat(up.get(0).samples().get(0).value()).isEqualTo(1.0);

      prometheus.awaitSamples("prometheus_build_info", start, 3, Duration.ofSeconds(20));
      List<Series> range = prometheus.queryRange("prometheus_build_info", start, Instant.now(),
          Duration.ofMillis(500));
      assertThat(range).hasSize(1);
      assertThat(range.get(0).samples()).hasSizeGreaterThanOrEqualTo(3)
          .allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
      assertThat(range.get(0).samples().get(0).time()).isAfterOrEqualTo(start.minusSeconds(1));
      assertThat(prometheus.seriesLabels("up", start, Instant.now()))
          .anySatisfy(l -> assertThat(l).containsEntry("service", "prometheus"));

      List<Series> scalar = prometheus.query("1 + 1");
      assertThat(scalar.get(0).samples().get(0).value()).isEqualTo(2.0);
      assertThat(prometheus.query("0 / 0").get(0).hasFiniteValue()).isFalse();

      assertThatThrownBy(() -> prometheus.query("sum by (job (up)"))
          .isInstanceOf(PrometheusServer.QueryException.class)
          .hasMessageContaining("bad_data").hasMessageContaining("parse error");
      assertThat(prometheus.configFile()).content().contains("\"scrape_interval\" : \"500ms\"");
    }
    assertThat(dir.resolve("logs/prometheus.log")).content()
        .contains("Server is ready to receive web requests");
  }

  @Test
  void keepsTheTargetsJobLabelAndLabelsThemByService() throws Exception {
    HttpServer service = HttpServer.create(new InetSocketAddress(Ports.HOST, 0), 0);
    byte[] metrics = ("# TYPE daflow_training_loss gauge\n"
        + "daflow_training_loss{job=\"dann-1\",loss=\"classification\"} 0.25\n"
        + "# TYPE daflow_training_jobs_running gauge\n"
        + "daflow_training_jobs_running 1.0\n").getBytes(StandardCharsets.UTF_8);
    service.createContext("/q/metrics", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, metrics.length);
      exchange.getResponseBody().write(metrics);
      exchange.close();
    });
    service.start();
    try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
        dir.resolve("logs/prometheus.log"), List.of(), FAST)) {
      URI url = URI.create("http://" + Ports.HOST + ":" + service.getAddress().getPort());
      prometheus.setTargets(List.of(Target.quarkus("trainer-service", url)));
      prometheus.awaitTargetsUp(Duration.ofSeconds(30));

      List<Series> loss = prometheus.query("daflow_training_loss{job=~\".+\"}");
      assertThat(loss).hasSize(1);
      assertThat(loss.get(0).labels()).containsEntry("job", "dann-1")
          .containsEntry("service", "trainer-service").doesNotContainKey("exported_job");
      assertThat(loss.get(0).samples().get(0).value()).isEqualTo(0.25);
      assertThat(prometheus.query("daflow_training_jobs_running").get(0).labels())
          .containsEntry("job", PrometheusServer.SCRAPE_JOB);
      assertThat(prometheus.targetHealth()).extracting(PrometheusServer.TargetHealth::scrapeUrl)
          .contains(url + "/q/metrics");
    } finally {
      service.stop(0);
    }
  }

  @Test
  void aTargetThatDoesNotAnswerIsNamedWithItsError() {
    int nobody = Ports.freeOr(0, "test");
    try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
        dir.resolve("logs/prometheus.log"),
        List.of(new Target("data-service", Ports.HOST + ":" + nobody, "/q/metrics")), FAST)) {
      assertThatThrownBy(() -> prometheus.awaitTargetsUp(Duration.ofSeconds(12)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("data-service http://" + Ports.HOST + ":" + nobody + "/q/metrics")
          .hasMessageContaining("connection refused");
      ChildProcess process = prometheus.process();
      prometheus.close();
      assertThat(process.isAlive()).isFalse();
    }
  }

  @Test
  void aMissingBinaryIsExplained() {
    Settings missing = new Settings(dir.resolve("no-prometheus"), 0, Duration.ofSeconds(1));
    assertThatThrownBy(() -> PrometheusServer.start(dir.resolve("p"), dir.resolve("p.log"),
        List.of(), missing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install prometheus")
        .hasMessageContaining(PrometheusServer.BINARY_PROPERTY);
    assertThatThrownBy(() -> new Target("x", "http://host:1", "/q/metrics"))
        .hasMessageContaining("host:port");
  }

  @Test
  void targetsFileCarriesServiceAndPath() throws Exception {
    String json = PrometheusServer.targetsJson(List.of(
        new Target("inference-service", "127.0.0.1:8084", "/q/metrics")));
    com.fasterxml.jackson.databind.JsonNode group =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(0);
    assertThat(group.get("targets").get(0).asText()).isEqualTo("127.0.0.1:8084");
    assertThat(group.get("labels").get("service").asText()).isEqualTo("inference-service");
    assertThat(group.get("labels").get("__metrics_path__").asText()).isEqualTo("/q/metrics");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, PrometheusServer.configJson(9090, dir.resolve("t.json"),
        Duration.ofSeconds(1)));
    assertThat(config).content().contains("\"honor_labels\" : true", "\"1000ms\"");
  }
}
