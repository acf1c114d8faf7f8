package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.daflow.testsupport.PrometheusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files that bring the dashboards to Grafana and the services to Prometheus
 * (observability/): the datasource the dashboards name, the dashboards' folder, the compose and
 * Kubernetes scrape configurations (checked by Debian's {@code promtool} where it can), and the
 * ConfigMaps {@code kubectl kustomize observability} renders.
 */
class DashboardProvisioningTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path ROOT = DashboardMetricNames.repoRoot();
  private static final Path OBSERVABILITY = ROOT.resolve("observability");
  private static final Path COMPOSE = OBSERVABILITY.resolve("prometheus/prometheus-compose.yml");
  private static final Path K8S = OBSERVABILITY.resolve("prometheus/prometheus-k8s.yml");
  /** kubectl apply keeps the whole object in an annotation of at most 256 KiB. */
  private static final int LAST_APPLIED_LIMIT = 256 * 1024;

  @TempDir
  Path dir;

  @Test
  void grafanaGetsThePrometheusDatasourceTheDashboardsName() throws IOException {
    JsonNode ds = YAML.readTree(OBSERVABILITY.resolve(
        "grafana/provisioning/datasources/datasources.yaml").toFile());
    assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
    assertThat(ds.path("datasources")).hasSize(1);
    JsonNode prometheus = ds.path("datasources").get(0);
    assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
    assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
    String uid = prometheus.path("uid").asText();
    for (String name : List.of("training", "evaluation", "inference", "platform")) {
      JsonNode d = YAML.readTree(OBSERVABILITY.resolve("grafana/dashboards/" + name + ".json")
          .toFile());
      assertThat(d.findValues("datasource")).as(name).isNotEmpty().allSatisfy(v -> assertThat(
          v.path("uid").asText()).isIn(uid, "-- Grafana --"));
    }
  }

  @Test
  void grafanaLoadsTheDashboardsFromTheirMountedFolder() throws IOException {
    JsonNode p = YAML.readTree(OBSERVABILITY.resolve(
        "grafana/provisioning/dashboards/dashboards.yaml").toFile());
    assertThat(p.path("providers")).hasSize(1);
    JsonNode provider = p.path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
  }

  @Test
  void composeScrapesEachServiceByItsNameAndPortLabelledService() throws Exception {
    JsonNode config = YAML.readTree(COMPOSE.toFile());
    assertThat(config.path("global").path("scrape_interval").asText()).isEqualTo("5s");
    JsonNode daflow = job(config, PrometheusServer.SCRAPE_JOB);
    assertThat(daflow.path("metrics_path").asText()).isEqualTo("/q/metrics");
    assertThat(daflow.path("honor_labels").asBoolean()).as("the services' job label wins")
        .isTrue();
    Map<String, String> targets = new HashMap<>();
    for (JsonNode group : daflow.path("static_configs")) {
      assertThat(group.path("targets")).hasSize(1);
      targets.put(group.path("labels").path("service").asText(),
          group.path("targets").get(0).asText());
    }
    Map<String, String> expected = new HashMap<>();
    for (String service : DashboardMetricNames.SERVICES) {
      expected.put(service, service + ":" + httpPort(service));
    }
    assertThat(targets).isEqualTo(expected);
    assertThat(job(config, "prometheus").path("static_configs").get(0).path("labels")
        .path("service").asText()).isEqualTo("prometheus");

    promtoolCheck(COMPOSE);
  }

  @Test
  void kubernetesScrapesTheAnnotatedPodsOfNamespaceDaflowLabelledService() throws Exception {
    JsonNode config = YAML.readTree(K8S.toFile());
    JsonNode daflow = job(config, PrometheusServer.SCRAPE_JOB);
    assertThat(daflow.path("honor_labels").asBoolean()).isTrue();
    JsonNode sd = daflow.path("kubernetes_sd_configs");
    assertThat(sd).hasSize(1);
    assertThat(sd.get(0).path("role").asText()).isEqualTo("pod");
    assertThat(sd.get(0).path("namespaces").path("names").toString()).isEqualTo("[\"daflow\"]");

    List<JsonNode> rules = new ArrayList<>();
    daflow.path("relabel_configs").forEach(rules::add);
    String annotation = "__meta_kubernetes_pod_annotation_prometheus_io_";
    assertThat(rules).anySatisfy(r -> {
      assertThat(r.path("action").asText()).isEqualTo("keep");
      assertThat(r.path("source_labels").toString()).isEqualTo("[\"" + annotation + "scrape\"]");
      assertThat(r.path("regex").asText()).isEqualTo("true");
    });
    assertThat(rules).anySatisfy(r -> {
      assertThat(r.path("source_labels").toString()).isEqualTo("[\"" + annotation + "path\"]");
      assertThat(r.path("target_label").asText()).isEqualTo("__metrics_path__");
    });
    assertThat(rules).anySatisfy(r -> {
      assertThat(r.path("source_labels").toString())
          .isEqualTo("[\"__meta_kubernetes_pod_label_app_kubernetes_io_name\"]");
      assertThat(r.path("target_label").asText()).isEqualTo("service");
    });
    JsonNode address = rules.stream()
        .filter(r -> r.path("target_label").asText().equals("__address__")).findFirst()
        .orElseThrow();
    assertThat(address.path("source_labels").toString())
        .isEqualTo("[\"__address__\",\"" + annotation + "port\"]");
    // Prometheus joins the source labels with ';' and anchors the regex.
    Pattern regex = Pattern.compile(address.path("regex").asText());
    String replacement = address.path("replacement").asText(); // $1:$2, as Java writes it
    for (String joined : List.of("10.1.2.3:8080;8082", "10.1.2.3;8082")) {
      assertThat(regex.matcher(joined).matches()).as(joined).isTrue();
      assertThat(regex.matcher(joined).replaceAll(replacement)).isEqualTo("10.1.2.3:8082");
    }

    // Debian's promtool has no Kubernetes discovery: check the rest with a static target.
    ObjectNode copy = (ObjectNode) config.deepCopy();
    for (JsonNode j : copy.path("scrape_configs")) {
      if (j.has("kubernetes_sd_configs")) {
        ((ObjectNode) j).remove("kubernetes_sd_configs");
        ((ObjectNode) j).putArray("static_configs").addObject().putArray("targets")
            .add("localhost:8082");
      }
    }
    Path staticCopy = dir.resolve("prometheus-k8s-static.yml");
    YAML.writeValue(staticCopy.toFile(), copy);
    promtoolCheck(staticCopy);
  }

  @Test
  void kustomizeRendersTheFourConfigMapsFromTheFiles() throws Exception {
    String rendered = run(List.of("kubectl", "kustomize", OBSERVABILITY.toString()));
    Map<String, JsonNode> maps = new HashMap<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(rendered)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        assertThat(doc.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(doc.path("metadata").has("namespace")).as("the overlay sets it").isFalse();
        maps.put(doc.path("metadata").path("name").asText(), doc.path("data"));
      }
    }
    assertThat(maps).containsOnlyKeys("daflow-prometheus-config",
        "daflow-grafana-provisioning-datasources", "daflow-grafana-provisioning-dashboards",
        "daflow-grafana-dashboards");
    assertThat(maps.get("daflow-prometheus-config").path("prometheus.yml").asText())
        .isEqualTo(Files.readString(K8S));
    assertThat(maps.get("daflow-grafana-provisioning-datasources").path("datasources.yaml")
        .asText()).isEqualTo(Files.readString(OBSERVABILITY.resolve(
            "grafana/provisioning/datasources/datasources.yaml")));
    assertThat(maps.get("daflow-grafana-provisioning-dashboards").path("dashboards.yaml")
        .asText()).isEqualTo(Files.readString(OBSERVABILITY.resolve(
            "grafana/provisioning/dashboards/dashboards.yaml")));
    JsonNode dashboards = maps.get("daflow-grafana-dashboards");
    List<String> keys = new ArrayList<>();
    dashboards.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("training.json", "evaluation.json",
        "inference.json", "platform.json");
    for (String key : keys) {
      assertThat(dashboards.path(key).asText()).as(key).isEqualTo(
          Files.readString(OBSERVABILITY.resolve("grafana/dashboards").resolve(key)));
    }
    assertThat(dashboards.toString().getBytes(StandardCharsets.UTF_8).length)
        .as("the dashboards' ConfigMap fits kubectl apply's last-applied annotation")
        .isLessThan(LAST_APPLIED_LIMIT);
  }

  private static JsonNode job(JsonNode config, String name) {
    for (JsonNode j : config.path("scrape_configs")) {
      if (j.path("job_name").asText().equals(name)) {
        return j;
      }
    }
    throw new AssertionError("no scrape job " + name + " in " + config);
  }

  /** The service's {@code quarkus.http.port}. */
  private static int httpPort(String service) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(
        ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
      p.load(in);
    }
    return Integer.parseInt(p.getProperty("quarkus.http.port"));
  }

  /** {@code promtool check config}, the tool next to the prometheus binary. */
  private static void promtoolCheck(Path config) throws Exception {
    Path promtool = PrometheusServer.defaultBinary().resolveSibling("promtool");
    assertThat(promtool).as("promtool (Debian's prometheus package) next to the prometheus "
        + "binary").isExecutable();
    assertThat(run(List.of(promtool.toString(), "check", "config", config.toString())))
        .contains("SUCCESS");
  }

  /** Runs a command to its end; its output, or a failure with it. */
  private static String run(List<String> command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(command.get(0) + " cannot run (.ci/run installs it): "
          + e.getMessage(), e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
    return text;
  }
}
