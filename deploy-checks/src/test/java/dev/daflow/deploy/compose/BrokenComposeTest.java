package dev.daflow.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.deploy.Repo;
import dev.daflow.deploy.ServiceCatalog;
import dev.daflow.deploy.ServiceFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each compose rule can fail: a small valid file (fixtures/compose.yml, in a folder with the
 * Dockerfiles and the mounted file it names) passes, and each test breaks one thing in it.
 */
class BrokenComposeTest {

  private static final Repo REPO = Repo.locate();
  private static final Map<String, ServiceFacts> FACTS = Map.of(
      "data-service", ServiceCatalog.read(REPO, "data-service"),
      "trainer-service", ServiceCatalog.read(REPO, "trainer-service"));

  @TempDir
  static Path project;

  @BeforeAll
  static void projectFolder() throws IOException {
    Map<String, String> files = Map.of(
        "data-service/src/main/docker/Dockerfile.jvm", "FROM x\nEXPOSE 8081\n",
        "data-service/src/main/docker/Dockerfile.other", "FROM x\nEXPOSE 8080\n",
        "trainer-service/src/main/docker/Dockerfile.gpu", "FROM x\nEXPOSE 8082\n",
        "observability/prometheus/prometheus-compose.yml", "# fixture\n");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path p = project.resolve(file.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, file.getValue());
    }
  }

  private static String fixture() {
    try (InputStream in = BrokenComposeTest.class.getResourceAsStream("/fixtures/compose.yml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> problems(String text) {
    ComposeFile compose = ComposeFile.parse(text);
    List<String> all = new ArrayList<>(ComposeSchema.validate(compose));
    all.addAll(ComposeRules.check(compose, project, FACTS, "1.2.3"));
    return all;
  }

  private static String broken(String from, String to) {
    String text = fixture();
    assertThat(text).as("the fixture contains the text to break").contains(from);
    return text.replace(from, to);
  }

  @Test
  void theFixturePasses() {
    assertThat(problems(fixture())).isEmpty();
  }

  @Test
  void theSchemaRefusesUnknownKeysAndShapes() {
    assertThat(problems(broken("  prometheus:\n    image", "  prometheus:\n    helthcheck: {}\n"
        + "    image"))).anyMatch(p -> p.contains("helthcheck"));
    assertThat(problems(broken("profiles: [\"gpu\"]", "profiles: gpu")))
        .anyMatch(p -> p.contains("profiles") && p.contains("array"));
  }

  @Test
  void everyLongRunningContainerHasAHealthcheck() {
    assertThat(problems(broken("    healthcheck:\n      test: [\"CMD\", \"wget\"", "    x-was:\n"
        + "      test: [\"CMD\", \"wget\""))).contains("prometheus: no healthcheck (only a "
        + "one-shot job, restart \"no\", that others wait for with "
        + "service_completed_successfully, may go without)");
    assertThat(problems(broken("    restart: \"no\"\n", "")))
        .anyMatch(p -> p.startsWith("minio-init: no healthcheck"));
  }

  @Test
  void dependsOnWaitsWithAConditionThatCanBeMet() {
    assertThat(problems(broken("      kafka:\n        condition: service_healthy\n      minio:\n"
        + "        condition: service_healthy\n      minio-init:", "      kafka:\n"
        + "        condition: service_started\n      minio:\n        condition: service_healthy\n"
        + "      minio-init:")))
        .contains("data-service: depends on kafka without waiting for it (condition "
            + "service_healthy or service_completed_successfully)");
    assertThat(problems(broken("    depends_on:\n      minio:\n        condition: service_healthy\n"
        + "    entrypoint", "    depends_on: [minio]\n    entrypoint")))
        .contains("minio-init: depends_on is a list; give each service a condition "
            + "(service_healthy, service_completed_successfully)");
  }

  @Test
  void everyVariableOfAServiceIsReadByIt() {
    assertThat(problems(broken("      DAFLOW_DATA_MIRROR: /datasets",
        "      DAFLOW_DATA_MIRROR: /datasets\n      DAFLOW_DATA_MIRORR: /typo")))
        .contains("data-service: sets DAFLOW_DATA_MIRORR, which data-service does not read");
    assertThat(problems(broken("      DAFLOW_TRAINER_WORKERS: \"1\"",
        "      DAFLOW_DATA_MIRROR: /datasets")))
        .contains("trainer-gpu: sets DAFLOW_DATA_MIRROR, which trainer-service does not read");
    assertThat(problems(broken("  DAFLOW_STORAGE_SECRET_KEY: fixture-secret\n", "")))
        .contains("data-service: DAFLOW_STORAGE_SECRET_KEY is not set");
  }

  @Test
  void portsImagesAndProbesAreTheServices() {
    assertThat(problems(broken("127.0.0.1:8081:8081", "127.0.0.1:8081:8080")))
        .contains("data-service: publishes container port 8080, but data-service listens on "
            + "8081");
    assertThat(problems(broken("localhost:8081/q/health/ready", "localhost:8081/health")))
        .contains("data-service: healthcheck must ask localhost:8081/q/health/ready");
    assertThat(problems(broken("image: daflow/data-service:1.2.3",
        "image: daflow/data-service:latest")))
        .contains("data-service: image daflow/data-service:latest is not pinned to a version "
            + "tag");
    assertThat(problems(broken("dockerfile: src/main/docker/Dockerfile.jvm",
        "dockerfile: src/main/docker/Dockerfile")))
        .contains("data-service: Dockerfile data-service/src/main/docker/Dockerfile does not "
            + "exist");
    assertThat(problems(broken("dockerfile: src/main/docker/Dockerfile.jvm",
        "dockerfile: src/main/docker/Dockerfile.other")))
        .contains("data-service: data-service/src/main/docker/Dockerfile.other exposes [8080], "
            + "but data-service listens on 8081");
  }

  @Test
  void servicesWaitForTheirKafkaAndStore() {
    assertThat(problems(broken("  KAFKA_BOOTSTRAP_SERVERS: kafka:9092",
        "  KAFKA_BOOTSTRAP_SERVERS: broker:9092")))
        .contains("data-service: KAFKA_BOOTSTRAP_SERVERS names no service of this file: broker");
  }

  @Test
  void theGpuProfileReservesAnNvidiaDevice() {
    assertThat(problems(broken("            - driver: nvidia", "            - driver: amd")))
        .contains("trainer-gpu: in the 'gpu' profile without reserving an NVIDIA GPU "
            + "(deploy.resources.reservations.devices: driver nvidia, capabilities [gpu])");
    assertThat(problems(broken("    profiles: [\"gpu\"]\n", ""))).contains(
        "no service in the 'gpu' profile",
        "trainer-gpu: reserves a GPU outside the 'gpu' profile",
        "trainer-gpu: the CUDA image outside the 'gpu' profile");
  }

  @Test
  void mountedObservabilityFilesExist() {
    assertThat(problems(broken("prometheus-compose.yml:", "prometheus.yml:")))
        .contains("prometheus: mounts ./observability/prometheus/prometheus.yml, which does not "
            + "exist");
  }

  @Test
  void theBucketJobCreatesEveryBucket() {
    assertThat(problems(broken("daflow-checkpoints ", "")))
        .contains("the one-shot jobs [minio-init] do not create bucket daflow-checkpoints");
  }

  @Test
  void interpolationNeedsDefaultsAndBraces() {
    assertThat(problems(broken("${ACCESS_KEY:-fixture}", "${ACCESS_KEY}")))
        .contains("${ACCESS_KEY} has no default (write ${ACCESS_KEY:-value})");
    assertThat(problems(broken("local/$$b", "local/$b")))
        .anyMatch(p -> p.startsWith("compose interpolates the bare $"));
  }

  @Test
  void envExampleListsEveryVariableWithItsDefault() {
    ComposeFile compose = ComposeFile.parse(fixture());
    assertThat(EnvExampleRules.check(compose, "# the key\nACCESS_KEY=fixture\n")).isEmpty();
    assertThat(EnvExampleRules.check(compose, "ACCESS_KEY=other\nUNUSED=1\n")).contains(
        ".env.example: ACCESS_KEY has no comment above it",
        ".env.example: ACCESS_KEY=other, but its default in docker-compose.yml is fixture",
        ".env.example: UNUSED is not used by docker-compose.yml");
    assertThat(EnvExampleRules.check(compose, "# nothing\n"))
        .contains(".env.example does not list ACCESS_KEY, which docker-compose.yml uses");
  }
}
