package dev.daflow.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.deploy.Repo;
import dev.daflow.deploy.ServiceCatalog;
import dev.daflow.deploy.ServiceFacts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders k8s/base, k8s/monitoring and every k8s/overlays/* with {@code kubectl kustomize} and
 * checks each object against the Kubernetes model and the services' real ports, probes, metrics
 * path, images and environment variables.
 */
class KubernetesManifestsTest {

  private static final Repo REPO = Repo.locate();
  private static final Map<String, ServiceFacts> SERVICES = ServiceCatalog.load(REPO);
  private static final String NAMESPACE = "daflow";
  private static final Map<String, KubeObjects> RENDERED = new ConcurrentHashMap<>();

  /**
   * What each kustomization may leave to others. A new overlay is checked as self-contained
   * until it is listed here.
   */
  private static final Map<String, Externals> EXTERNALS = Map.of(
      // Kafka, MinIO and the credentials come from an overlay.
      "base", new Externals(Set.of("daflow-storage", "daflow-jwt"), Set.of("kafka", "minio")),
      // The credentials are created out of band (docs/deploy.md).
      "overlays/external", new Externals(Set.of("daflow-storage", "daflow-jwt"), Set.of()),
      // The token issuer's public key is never in git (docs/security.md), not even for dev.
      "overlays/dev", new Externals(Set.of("daflow-jwt"), Set.of()),
      "overlays/gpu", new Externals(Set.of("daflow-jwt"), Set.of()));

  static Stream<String> kustomizations() throws IOException {
    List<String> dirs = new ArrayList<>(List.of("base", "monitoring"));
    try (Stream<Path> overlays = Files.list(REPO.path("k8s", "overlays"))) {
      overlays.filter(Files::isDirectory).map(p -> "overlays/" + p.getFileName()).sorted()
          .forEach(dirs::add);
    }
    return dirs.stream();
  }

  static Stream<String> overlays() throws IOException {
    return kustomizations().filter(d -> d.startsWith("overlays/"));
  }

  private static KubeObjects rendered(String dir) {
    return RENDERED.computeIfAbsent(dir, d -> {
      Kustomize.Rendered r = Kustomize.onPath().render(REPO.path("k8s", d));
      assertThat(r.warnings()).as("kubectl kustomize k8s/%s printed warnings", d).isBlank();
      return KubeObjects.parse(r.yaml());
    });
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void everyObjectFitsTheKubernetesModel(String dir) {
    KubeObjects objects = rendered(dir);
    assertThat(objects.objects()).as(dir).isNotEmpty();
    List<String> problems = objects.objects().stream()
        .flatMap(o -> UnknownFields.of(o).stream()).toList();
    assertThat(problems).as("k8s/%s: fields and kinds the Kubernetes model does not know", dir)
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void referencesResolveAndPodsAreRestricted(String dir) {
    List<String> problems = ManifestRules.check(rendered(dir), NAMESPACE,
        EXTERNALS.getOrDefault(dir, Externals.NONE));
    assertThat(problems).as("k8s/%s", dir).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void servicesGetWhatTheyRead(String dir) {
    if (dir.equals("monitoring")) {
      assertThat(rendered(dir).ofType(Deployment.class).map(d -> d.getMetadata().getName()))
          .containsExactlyInAnyOrder("prometheus", "grafana");
      return;
    }
    List<String> problems = ServiceRules.check(rendered(dir), SERVICES, REPO.projectVersion(),
        EXTERNALS.getOrDefault(dir, Externals.NONE));
    assertThat(problems).as("k8s/%s", dir).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlaysCreateTheNamespace(String dir) {
    assertThat(rendered(dir).find(Namespace.class, NAMESPACE)).as(dir).isPresent();
  }

  @Test
  void baseHasTheInferenceDisruptionBudgetAndAutoscaler() {
    KubeObjects base = rendered("base");
    assertThat(base.find(PodDisruptionBudget.class, "inference-service")).isPresent();
    HorizontalPodAutoscaler hpa = base.find(HorizontalPodAutoscaler.class, "inference-service")
        .orElseThrow();
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(base.ofType(StatefulSet.class)).isEmpty();
  }

  @Test
  void devBringsKafkaMinioTheBucketsAndMonitoring() {
    KubeObjects dev = rendered("overlays/dev");
    assertThat(dev.ofType(StatefulSet.class).map(s -> s.getMetadata().getName()))
        .containsExactlyInAnyOrder("kafka", "minio");
    assertThat(dev.ofType(Service.class).map(s -> s.getMetadata().getName()))
        .contains("kafka", "minio", "prometheus", "grafana");
    Job buckets = dev.ofType(Job.class).findFirst().orElseThrow();
    String script = String.join(" ", buckets.getSpec().getTemplate().getSpec().getContainers()
        .get(0).getArgs());
    for (ServiceFacts s : SERVICES.values()) {
      s.defaults().forEach((property, value) -> {
        if (property.startsWith("daflow.storage.bucket.")) {
          assertThat(script).as("the bucket Job creates %s", value).contains(value);
        }
      });
    }
    assertThat(kafka(dev).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("KAFKA_PROCESS_ROLES");
      assertThat(e.getValue()).isEqualTo("broker,controller");
    });
  }

  @Test
  void externalBringsNoInfrastructure() {
    KubeObjects external = rendered("overlays/external");
    assertThat(external.ofType(StatefulSet.class)).isEmpty();
    assertThat(external.ofType(Job.class)).isEmpty();
    assertThat(external.objects()).extracting(HasMetadata::getKind)
        .doesNotContain("Secret");
    assertThat(external.ofType(Deployment.class).map(d -> d.getMetadata().getName()))
        .containsExactlyInAnyOrderElementsOf(ServiceCatalog.SERVICES);
  }

  @Test
  void gpuTrainersShareOneConsumerGroupOneGpuEach() {
    Deployment trainer = rendered("overlays/gpu").find(Deployment.class, "trainer-service")
        .orElseThrow();
    assertThat(trainer.getSpec().getReplicas()).isEqualTo(2);
    Container c = trainer.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("daflow/trainer-service:" + REPO.projectVersion()
        + ServiceRules.CUDA_TAG_SUFFIX);
    assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(trainer.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
        .isZero();
    // Trainers of every overlay join one group: no replica-specific group settings.
    assertThat(c.getEnv()).noneMatch(e -> e.getName().startsWith("DAFLOW_TRAINER_REPLICA"));
  }

  private static Container kafka(KubeObjects objects) {
    return objects.find(StatefulSet.class, "kafka").orElseThrow().getSpec().getTemplate()
        .getSpec().getContainers().get(0);
  }
}
