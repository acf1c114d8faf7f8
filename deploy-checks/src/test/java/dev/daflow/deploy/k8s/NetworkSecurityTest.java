package dev.daflow.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.deploy.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered overlays are least-privilege ({@link NetworkRules}): default deny, the services'
 * flows and no others, their own ServiceAccounts without tokens, secrets referenced and never
 * written. Each rule is also shown to fail on a set broken on purpose.
 */
class NetworkSecurityTest {

  private static final Repo REPO = Repo.locate();
  private static final String NAMESPACE = "daflow";
  private static final Map<String, KubeObjects> RENDERED = new ConcurrentHashMap<>();

  private static KubeObjects rendered(String dir) {
    return RENDERED.computeIfAbsent(dir, d ->
        KubeObjects.parse(Kustomize.onPath().render(REPO.path("k8s", d)).yaml()));
  }

  private static NetworkRules.Infra infra(String dir) {
    return switch (dir) {
      case "overlays/external" -> NetworkRules.Infra.external("10.1.2.3", "10.4.5.6");
      case "base" -> NetworkRules.Infra.none();
      default -> NetworkRules.Infra.inNamespace(NAMESPACE);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu", "overlays/external"})
  void leastPrivilege(String dir) {
    assertThat(NetworkRules.check(rendered(dir), NAMESPACE, infra(dir))).as("k8s/%s", dir)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/external"})
  void credentialsAreNeverInGitOnlyReferenced(String dir) {
    assertThat(rendered(dir).ofType(Secret.class).map(s -> s.getMetadata().getName()))
        .as("k8s/%s: Secrets are created out of band", dir).isEmpty();
  }

  @Test
  void withoutTheDefaultDenyEverythingIsOpen() {
    List<String> problems = check(without(rendered("overlays/dev"),
        o -> o instanceof NetworkPolicy p && p.getMetadata().getName().equals("default-deny")));
    assertThat(problems).containsExactly(
        "no default-deny NetworkPolicy (every pod, Ingress and Egress, no rule)");
  }

  @Test
  void aMissingFlowIsNamed() {
    List<String> problems = check(without(rendered("overlays/dev"),
        o -> o instanceof NetworkPolicy p && p.getMetadata().getName().equals("allow-dns")));
    assertThat(problems).contains(
        "needed flow refused: daflow/trainer-service -> kube-system/{k8s-app=kube-dns} UDP/53");
  }

  @Test
  void anExtraFlowIsNamed() {
    String yaml = Kustomize.onPath().render(REPO.path("k8s", "overlays/dev")).yaml()
        + "\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
        + "  name: too-open\n  namespace: daflow\nspec:\n  podSelector:\n    matchLabels:\n"
        + "      app.kubernetes.io/name: trainer-service\n  policyTypes: [Egress]\n"
        + "  egress:\n    - {}\n";
    assertThat(check(KubeObjects.parse(yaml))).contains(
        "flow not needed but allowed: daflow/trainer-service -> 8.8.8.8 TCP/443",
        "flow not needed but allowed: daflow/trainer-service -> 169.254.169.254 TCP/80");
    // The receiving side still refuses: another service's port stays closed.
    assertThat(check(KubeObjects.parse(yaml))).noneMatch(p -> p.contains("-> daflow/data-service"));
  }

  @Test
  void tokensAccountsAndPlainCredentialsAreNamed() {
    String yaml = Kustomize.onPath().render(REPO.path("k8s", "overlays/dev")).yaml();
    String broken = yaml
        .replaceFirst("serviceAccountName: evaluator-service", "serviceAccountName: default")
        .replaceFirst("automountServiceAccountToken: false", "automountServiceAccountToken: true")
        .replaceFirst("name: MP_JWT_VERIFY_PUBLICKEY_LOCATION", "name: DAFLOW_KAFKA_SASL_PASSWORD");
    assertThat(broken).isNotEqualTo(yaml);
    List<String> problems = check(KubeObjects.parse(broken));
    assertThat(problems).contains(
        "Deployment/evaluator-service: runs as ServiceAccount default, not its own "
            + "(evaluator-service)");
    assertThat(problems).anyMatch(p -> p.endsWith(
        ": DAFLOW_KAFKA_SASL_PASSWORD is written in the manifest; reference a Secret"));
    assertThat(problems).anyMatch(p -> p.contains("automountServiceAccountToken is not false"));
  }

  private static List<String> check(KubeObjects objects) {
    return NetworkRules.check(objects, NAMESPACE, NetworkRules.Infra.inNamespace(NAMESPACE));
  }

  private static KubeObjects without(KubeObjects objects, Predicate<HasMetadata> drop) {
    List<HasMetadata> kept = objects.objects().stream().filter(drop.negate()).toList();
    assertThat(kept).hasSizeLessThan(objects.objects().size());
    return new KubeObjects(kept);
  }
}
