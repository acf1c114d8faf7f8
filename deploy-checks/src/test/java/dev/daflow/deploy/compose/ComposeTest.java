package dev.daflow.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.deploy.Repo;
import dev.daflow.deploy.ServiceCatalog;
import dev.daflow.deploy.ServiceFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The repository's docker-compose.yml and .env.example. */
class ComposeTest {

  private static final Repo REPO = Repo.locate();
  private static final Map<String, ServiceFacts> SERVICES = ServiceCatalog.load(REPO);
  private static final ComposeFile COMPOSE = ComposeFile.parse(REPO.read("docker-compose.yml"));

  @Test
  void matchesTheComposeSpecification() {
    assertThat(ComposeSchema.validate(COMPOSE)).as("compose-spec schema").isEmpty();
  }

  @Test
  void healthchecksDependenciesServicesAndGpu() {
    assertThat(ComposeRules.check(COMPOSE, REPO.root(), SERVICES, REPO.projectVersion()))
        .isEmpty();
  }

  @Test
  void envExampleExplainsEveryVariable() {
    assertThat(EnvExampleRules.check(COMPOSE, REPO.read(".env.example"))).isEmpty();
  }

  @Test
  void runsEachServiceTheInfrastructureAndMonitoring() {
    Set<String> names = COMPOSE.services().keySet();
    assertThat(names).containsAll(ServiceCatalog.SERVICES)
        .contains("kafka", "minio", "prometheus", "grafana");
    assertThat(COMPOSE.services().get("kafka").get("image")).asString()
        .startsWith("apache/kafka:");
    @SuppressWarnings("unchecked")
    Map<String, Object> kafkaEnv = (Map<String, Object>) COMPOSE.services().get("kafka")
        .get("environment");
    assertThat(kafkaEnv).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
  }

  @Test
  void credentialsComeFromEnvAndTheJwtKeyFromASecret() {
    // Every credential is a ${VARIABLE} of .env (local-only defaults), never a literal here:
    // read before interpolation.
    Map<String, Object> raw = ComposeFile.map(ComposeFile.map(new org.yaml.snakeyaml.Yaml()
        .load(REPO.read("docker-compose.yml"))).get("services"));
    assertThat(raw).isNotEmpty();
    raw.forEach((name, value) -> {
      Object env = ComposeFile.map(value).get("environment");
      if (env instanceof Map<?, ?> map) {
        map.forEach((k, v) -> {
          if (String.valueOf(k).matches(".*(PASSWORD|SECRET|TOKEN).*")) {
            assertThat(String.valueOf(v)).as(name + " " + k).matches("\\$\\{[A-Z0-9_]+(:-.*)?}");
          }
        });
      }
    });
    assertThat(ComposeFile.map(COMPOSE.document().get("secrets"))).containsKey("jwt-public-key");
    for (String s : ServiceCatalog.SERVICES) {
      Map<String, Object> service = COMPOSE.services().get(s);
      assertThat(ComposeFile.list(service.get("secrets"))).as(s).anySatisfy(m -> {
        assertThat(ComposeFile.map(m)).containsEntry("source", "jwt-public-key")
            .containsEntry("target", "/etc/daflow/jwt/public-key.pem");
      });
      assertThat(ComposeFile.map(service.get("environment")))
          .containsEntry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/etc/daflow/jwt/public-key.pem")
          .containsKey("MP_JWT_VERIFY_ISSUER");
    }
  }

  @Test
  void prometheusScrapesEveryServiceOnItsPort() {
    Object config = new org.yaml.snakeyaml.Yaml().load(
        REPO.read("observability/prometheus/prometheus-compose.yml"));
    Set<String> targets = new TreeSet<>();
    for (Object job : ComposeFile.list(ComposeFile.map(config).get("scrape_configs"))) {
      for (Object statics : ComposeFile.list(ComposeFile.map(job).get("static_configs"))) {
        ComposeFile.list(ComposeFile.map(statics).get("targets"))
            .forEach(t -> targets.add(String.valueOf(t)));
      }
    }
    List<String> expected = SERVICES.values().stream()
        .map(s -> s.name() + ":" + s.httpPort()).toList();
    assertThat(targets).as("observability/prometheus/prometheus-compose.yml targets")
        .containsAll(expected);
  }
}
