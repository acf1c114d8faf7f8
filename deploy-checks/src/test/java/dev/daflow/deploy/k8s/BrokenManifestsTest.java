package dev.daflow.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule of the manifest checks can fail: a small valid set (fixtures/data-service.yaml)
 * passes, and each test breaks one thing in it and expects the problem to be named.
 */
class BrokenManifestsTest {

  private static final String VERSION = "1.2.3";
  private static final Map<String, ServiceFacts> DATA =
      Map.of("data-service", ServiceCatalog.read(Repo.locate(), "data-service"));
  private static final Externals INFRA_ELSEWHERE =
      new Externals(Set.of(), Set.of("kafka", "minio"));

  private static String fixture() {
    try (InputStream in = BrokenManifestsTest.class.getResourceAsStream(
        "/fixtures/data-service.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every problem every rule finds in the YAML. */
  private static List<String> problems(String yaml) {
    return problems(yaml, INFRA_ELSEWHERE);
  }

  private static List<String> problems(String yaml, Externals externals) {
    KubeObjects objects = KubeObjects.parse(yaml);
    List<String> all = new ArrayList<>();
    objects.objects().forEach(o -> all.addAll(UnknownFields.of(o)));
    all.addAll(ManifestRules.check(objects, "daflow", externals));
    all.addAll(ServiceRules.check(objects, DATA, VERSION, externals));
    return all;
  }

  private static String broken(String from, String to) {
    String yaml = fixture();
    assertThat(yaml).as("the fixture contains the text to break").contains(from);
    return yaml.replace(from, to);
  }

  @Test
  void theFixturePasses() {
    assertThat(problems(fixture())).isEmpty();
  }

  @Test
  void aMisspelledFieldIsUnknown() {
    assertThat(problems(broken("readinessProbe:", "readinesProbe:"))).contains(
        "Deployment/data-service: unknown field spec.template.spec.containers[0].readinesProbe",
        "Deployment/data-service: no readiness probe");
  }

  @Test
  void aKindOutsideTheModelIsRefused() {
    String yaml = fixture() + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n"
        + "  name: w\n  namespace: daflow\n";
    assertThat(problems(yaml))
        .contains("Widget/w: kind example.com/v1/Widget is not in the Kubernetes model");
  }

  @Test
  void aValueOfTheWrongTypeDoesNotParse() {
    String yaml = broken("  minReplicas: 1", "  minReplicas: [one]");
    assertThatThrownBy(() -> KubeObjects.parse(yaml)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("HorizontalPodAutoscaler data-service")
        .hasMessageContaining("does not fit the Kubernetes model");
  }

  @Test
  void probePathsAndPortsAreTheServices() {
    assertThat(problems(broken("path: /q/health/ready", "path: /health")))
        .contains("Deployment/data-service: readiness probe must GET /q/health/ready, got /health");
    assertThat(problems(broken("containerPort: 8081", "containerPort: 8080")))
        .contains("Deployment/data-service: container port 'http' must be 8081 "
            + "(quarkus.http.port), got 8080");
    assertThat(problems(broken("prometheus.io/path: /q/metrics", "prometheus.io/path: /metrics")))
        .contains("Deployment/data-service: annotation prometheus.io/path must be /q/metrics, "
            + "got /metrics");
    assertThat(problems(broken("port: 8081\n      targetPort: http",
        "port: 80\n      targetPort: http")))
        .contains("Service/data-service: no port 8081");
  }

  @Test
  void everyVariableMustBeReadByTheService() {
    String yaml = broken("            - name: DAFLOW_DATA_CACHE",
        "            - name: DAFLOW_TRAINER_WORKERS\n              value: \"1\"\n"
            + "            - name: DAFLOW_DATA_CACHE");
    assertThat(problems(yaml)).contains(
        "Deployment/data-service: sets DAFLOW_TRAINER_WORKERS, which data-service does not read");
    assertThat(problems(broken("  KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n", "")))
        .contains("Deployment/data-service: KAFKA_BOOTSTRAP_SERVERS is not set");
  }

  @Test
  void referencesMustResolve() {
    assertThat(problems(broken("name: daflow-storage\n  namespace: daflow\ntype",
        "name: other-secret\n  namespace: daflow\ntype")))
        .contains("Deployment/data-service container data-service: Secret daflow-storage is not "
            + "defined (nor declared external)");
    assertThat(problems(broken("    app.kubernetes.io/name: data-service\n  ports",
        "    app.kubernetes.io/name: data\n  ports")))
        .contains("Service/data-service: selector {app.kubernetes.io/name=data} selects no "
            + "workload");
    assertThat(problems(broken("    name: data-service\n  minReplicas", "    name: nope\n"
        + "  minReplicas")))
        .contains("HorizontalPodAutoscaler/data-service: scale target Deployment/nope is not "
            + "defined");
    assertThat(problems(broken("mountPath: /deployments/cache", "mountPath: /deployments/cache\n"
        + "            - name: missing\n              mountPath: /x")))
        .contains("Deployment/data-service container data-service: mounts volume missing, which "
            + "the pod does not have");
    assertThat(problems(fixture(), Externals.NONE)).contains("Deployment/data-service: "
        + "KAFKA_BOOTSTRAP_SERVERS names kafka, which is no Service here");
  }

  @Test
  void podsAreRestrictedAndBounded() {
    assertThat(problems(broken("runAsNonRoot: true", "runAsNonRoot: false")))
        .contains("Deployment/data-service: pod securityContext.runAsNonRoot is not true");
    assertThat(problems(broken("drop: [\"ALL\"]", "drop: [\"NET_RAW\"]")))
        .contains("Deployment/data-service container data-service: capabilities do not drop ALL");
    assertThat(problems(broken("            limits:\n              cpu: \"2\"\n"
        + "              memory: 2Gi\n", "")))
        .contains("Deployment/data-service container data-service: no memory limit");
    assertThat(problems(broken("value: /deployments/cache", "value: /var/cache/daflow")))
        .contains("Deployment/data-service: DAFLOW_DATA_CACHE=/var/cache/daflow is on the "
            + "read-only root file system (no writable volume there)");
    assertThat(problems(broken("  namespace: daflow\nspec:\n  selector",
        "  namespace: other\nspec:\n  selector")))
        .contains("Deployment/data-service: namespace is other, not daflow");
  }

  @Test
  void imagesArePinnedAndNamedAfterTheService() {
    assertThat(problems(broken("daflow/data-service:1.2.3", "daflow/data-service:latest")))
        .contains("Deployment/data-service container data-service: image "
            + "daflow/data-service:latest is not pinned to a version tag");
    assertThat(problems(broken("daflow/data-service:1.2.3", "daflow/trainer-service:1.2.3")))
        .contains("Deployment/data-service: image daflow/trainer-service:1.2.3, expected "
            + "daflow/data-service:1.2.3 (or daflow/data-service:1.2.3-cuda)");
  }

  @Test
  void aCudaImageNeedsAGpu() {
    assertThat(problems(broken("daflow/data-service:1.2.3", "daflow/data-service:1.2.3-cuda")))
        .contains("Deployment/data-service: a CUDA image without an nvidia.com/gpu limit",
            "Deployment/data-service: a CUDA image without a toleration of nvidia.com/gpu");
  }

  @Test
  void aMissingKubectlIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> new Kustomize(dir.resolve("no-kubectl").toString()).render(dir))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("install kubectl >= 1.27");
  }

  @Test
  void anOldKubectlIsNamed(@TempDir Path dir) throws IOException {
    // A stand-in for Debian's kubernetes-client 1.20 (kustomize v2).
    Path old = dir.resolve("kubectl");
    Files.writeString(old, "#!/bin/sh\necho '{\"clientVersion\": {\"major\": \"1\", "
        + "\"minor\": \"20\"}}'\n");
    assertThat(old.toFile().setExecutable(true)).isTrue();
    assertThatThrownBy(() -> new Kustomize(old.toString()).render(dir))
        .isInstanceOf(AssertionError.class)
        .hasMessage("kubectl 1.20 bundles a kustomize older than v5; the deploy checks need "
            + "kubectl >= 1.27");
  }

  @Test
  void aBrokenKustomizationFailsWithKubectlsMessage(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
    assertThatThrownBy(() -> Kustomize.onPath().render(dir)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("kubectl kustomize " + dir + " failed")
        .hasMessageContaining("missing.yaml");
  }
}
