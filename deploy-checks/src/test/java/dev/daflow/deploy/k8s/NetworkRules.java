package dev.daflow.deploy.k8s;

import static dev.daflow.deploy.k8s.Workload.list;

import dev.daflow.deploy.k8s.NetworkPolicies.Peer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Least privilege in a rendered set (docs/security.md): a default-deny NetworkPolicy, each flow
 * the services need allowed and the others refused (checked by {@link NetworkPolicies} over
 * concrete connections), one ServiceAccount per service without an API token, the JWT key from
 * Secret {@value #JWT_SECRET}, and no credential written as a plain value.
 */
final class NetworkRules {
  /** The four services. */
  static final List<String> SERVICES =
      List.of("data-service", "trainer-service", "evaluator-service", "inference-service");
  static final String JWT_SECRET = "daflow-jwt";
  static final String JWT_KEY = "public-key.pem";
  static final String JWT_FOLDER = "/etc/daflow/jwt";
  /** Names of variables that hold credentials: never a plain {@code value}. */
  private static final Pattern SENSITIVE =
      Pattern.compile(".*(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL).*");

  /**
   * Where Kafka, the object store and Prometheus are for the services.
   *
   * @param kafka the broker (a pod of the set, or an address outside), or null when the set
   *     holds neither it nor its address (base: an overlay brings them)
   * @param storage the object store, or null as {@code kafka}
   * @param storagePort its port
   * @param prometheus the Prometheus pod that scrapes the services
   */
  record Infra(Peer kafka, Peer storage, int storagePort, Peer prometheus) {
    /** The dev overlay's pods, Prometheus included. */
    static Infra inNamespace(String namespace) {
      return new Infra(Peer.app(namespace, "kafka"), Peer.app(namespace, "minio"), 9000,
          Peer.app(namespace, "prometheus"));
    }

    /**
     * The external overlay: addresses of a private network, S3 over HTTPS, Prometheus in
     * namespace {@code monitoring}.
     */
    static Infra external(String kafkaIp, String storageIp) {
      return new Infra(Peer.address(kafkaIp), Peer.address(storageIp), 443,
          Peer.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus")));
    }

    /** Base alone: Kafka and the store come with an overlay. */
    static Infra none() {
      return new Infra(null, null, 0,
          Peer.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus")));
    }
  }

  private final KubeObjects objects;
  private final String namespace;
  private final NetworkPolicies policies;
  private final List<String> problems = new ArrayList<>();

  private NetworkRules(KubeObjects objects, String namespace) {
    this.objects = objects;
    this.namespace = namespace;
    this.policies = new NetworkPolicies(objects, namespace);
  }

  /** Every problem of the set; empty when all is well. */
  static List<String> check(KubeObjects objects, String namespace, Infra infra) {
    NetworkRules rules = new NetworkRules(objects, namespace);
    rules.run(infra);
    return List.copyOf(rules.problems);
  }

  private void run(Infra infra) {
    if (policies.defaultDenies().isEmpty()) {
      problems.add("no default-deny NetworkPolicy (every pod, Ingress and Egress, no rule)");
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String s : SERVICES) {
      Optional<Workload> w = workload(s);
      if (w.isEmpty()) {
        problems.add(s + ": no Deployment");
        continue;
      }
      ports.put(s, httpPort(w.get()));
      serviceAccount(w.get());
      jwt(w.get());
    }
    Peer dns = Peer.pod("kube-system", Map.of("k8s-app", "kube-dns"));
    Peer ingress = Peer.pod("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
    Peer prometheus = infra.prometheus();
    Peer grafana = Peer.app(namespace, "grafana");
    Peer stranger = Peer.pod("elsewhere", Map.of("app", "curious"));
    for (var e : ports.entrySet()) {
      String name = e.getKey();
      int port = e.getValue();
      Peer s = Peer.app(namespace, name);
      expect(s, dns, "UDP", 53, true);
      if (infra.kafka() != null) {
        expect(s, infra.kafka(), "TCP", 9092, true);
        expect(s, infra.storage(), "TCP", infra.storagePort(), true);
      }
      expect(ingress, s, "TCP", port, true);
      expect(prometheus, s, "TCP", port, true);
      expect(stranger, s, "TCP", port, false);
      expect(grafana, s, "TCP", port, false);
      expect(s, Peer.address("8.8.8.8"), "TCP", 443, name.equals("data-service"));
      expect(s, Peer.address("169.254.169.254"), "TCP", 80, false);
      expect(s, Peer.address("192.168.1.10"), "TCP", 443, false);
      expect(s, Peer.address("127.0.0.1"), "TCP", 80, false);
      if (infra.kafka() != null && infra.kafka().isPod()) {
        expect(s, infra.kafka(), "TCP", 9093, false); // the KRaft controller
        expect(s, infra.storage(), "TCP", 9001, false); // MinIO's console
      }
      for (var other : ports.entrySet()) {
        if (!other.getKey().equals(name)) {
          expect(s, Peer.app(namespace, other.getKey()), "TCP", other.getValue(), false);
        }
      }
    }
    if (workload("kafka").isPresent()) {
      expect(Peer.app(namespace, "kafka"), Peer.app(namespace, "kafka"), "TCP", 9093, true);
      expect(Peer.app(namespace, "minio-buckets"), Peer.app(namespace, "minio"), "TCP", 9000,
          true);
      expect(Peer.app(namespace, "minio-buckets"), Peer.app(namespace, "kafka"), "TCP", 9092,
          false);
      expect(stranger, Peer.app(namespace, "kafka"), "TCP", 9092, false);
      expect(stranger, Peer.app(namespace, "minio"), "TCP", 9000, false);
    }
    if (workload("prometheus").isPresent()) {
      expect(grafana, prometheus, "TCP", 9090, true);
      expect(stranger, prometheus, "TCP", 9090, false);
      expect(prometheus, Peer.app(namespace, "kafka"), "TCP", 9092, false);
    }
    Workload.all(objects).forEach(this::token);
    Workload.all(objects).forEach(this::plainCredentials);
  }

  private void expect(Peer from, Peer to, String protocol, int port, boolean allowed) {
    if (policies.allows(from, to, protocol, port) != allowed) {
      problems.add((allowed ? "needed flow refused: " : "flow not needed but allowed: ") + from
          + " -> " + to + " " + protocol + "/" + port);
    }
  }

  private Optional<Workload> workload(String name) {
    return Workload.all(objects).filter(w -> name.equals(w.podLabels()
        .get("app.kubernetes.io/name"))).findFirst();
  }

  private int httpPort(Workload w) {
    return w.containers().stream().flatMap(c -> list(c.getPorts()).stream())
        .filter(p -> "http".equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElse(-1);
  }

  private void serviceAccount(Workload w) {
    String name = w.podLabels().get("app.kubernetes.io/name");
    String account = w.pod().getServiceAccountName();
    if (!name.equals(account)) {
      problems.add(w.label() + ": runs as ServiceAccount " + account + ", not its own (" + name
          + ")");
      return;
    }
    Optional<ServiceAccount> sa = objects.find(ServiceAccount.class, account);
    if (sa.isEmpty()) {
      problems.add(w.label() + ": ServiceAccount " + account + " is not defined");
    } else if (!Boolean.FALSE.equals(sa.get().getAutomountServiceAccountToken())) {
      problems.add("ServiceAccount/" + account + ": automountServiceAccountToken is not false");
    }
    boolean bound = objects.ofType(RoleBinding.class).anyMatch(b -> list(b.getSubjects()).stream()
        .anyMatch(s -> "ServiceAccount".equals(s.getKind()) && account.equals(s.getName())));
    if (bound) {
      problems.add(w.label() + ": ServiceAccount " + account + " is bound to a Role; the "
          + "services never call the Kubernetes API");
    }
  }

  /** No API token in a pod, unless its account is bound to a Role (Prometheus' discovery). */
  private void token(Workload w) {
    if (Boolean.FALSE.equals(w.pod().getAutomountServiceAccountToken())) {
      return;
    }
    String account = w.pod().getServiceAccountName();
    boolean bound = account != null && objects.ofType(RoleBinding.class)
        .anyMatch(b -> list(b.getSubjects()).stream().anyMatch(
            s -> "ServiceAccount".equals(s.getKind()) && account.equals(s.getName())));
    if (!bound) {
      problems.add(w.label() + ": mounts an API token (automountServiceAccountToken is not "
          + "false) without any Role that needs it");
    }
  }

  private void jwt(Workload w) {
    Optional<Volume> volume = list(w.pod().getVolumes()).stream()
        .filter(v -> v.getSecret() != null && JWT_SECRET.equals(v.getSecret().getSecretName()))
        .findFirst();
    if (volume.isEmpty()) {
      problems.add(w.label() + ": does not mount Secret " + JWT_SECRET);
      return;
    }
    for (Container c : w.containers()) {
      boolean mounted = list(c.getVolumeMounts()).stream().anyMatch(m -> m.getName()
          .equals(volume.get().getName()) && JWT_FOLDER.equals(m.getMountPath())
          && Boolean.TRUE.equals(m.getReadOnly()));
      if (!mounted) {
        problems.add(w.label() + " container " + c.getName() + ": Secret " + JWT_SECRET
            + " is not mounted read-only at " + JWT_FOLDER);
      }
      Map<String, EnvVar> env = new LinkedHashMap<>();
      list(c.getEnv()).forEach(e -> env.put(e.getName(), e));
      EnvVar location = env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
      if (location == null || !(JWT_FOLDER + "/" + JWT_KEY).equals(location.getValue())) {
        problems.add(w.label() + " container " + c.getName()
            + ": MP_JWT_VERIFY_PUBLICKEY_LOCATION is not " + JWT_FOLDER + "/" + JWT_KEY);
      }
      EnvVar issuer = env.get("MP_JWT_VERIFY_ISSUER");
      if (issuer == null || issuer.getValueFrom() == null
          || (issuer.getValueFrom().getSecretKeyRef() == null
              && issuer.getValueFrom().getConfigMapKeyRef() == null)) {
        problems.add(w.label() + " container " + c.getName()
            + ": MP_JWT_VERIFY_ISSUER does not come from a Secret or ConfigMap");
      }
    }
  }

  private void plainCredentials(Workload w) {
    for (Container c : w.containers()) {
      for (EnvVar e : list(c.getEnv())) {
        if (SENSITIVE.matcher(e.getName()).matches() && e.getValue() != null) {
          problems.add(w.label() + " container " + c.getName() + ": " + e.getName()
              + " is written in the manifest; reference a Secret");
        }
      }
    }
  }
}
