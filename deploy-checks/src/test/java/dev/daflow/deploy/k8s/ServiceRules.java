package dev.daflow.deploy.k8s;

import static dev.daflow.deploy.k8s.Workload.list;

import dev.daflow.deploy.ServiceFacts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The DAFlow services in a rendered set against what each service really uses ({@link
 * ServiceFacts}): image, port, probe and metrics paths, Prometheus annotations, the environment
 * variables it is given (each one must be read by it; the required ones must be there), writable
 * folders under a read-only root, the Service in front of it, the in-cluster Kafka and S3
 * addresses, and the GPU settings of a CUDA trainer.
 */
public final class ServiceRules {

  /** Variables a service cannot start without. */
  public static final List<String> REQUIRED_ENV = List.of("KAFKA_BOOTSTRAP_SERVERS",
      "DAFLOW_STORAGE_ENDPOINT", "DAFLOW_STORAGE_ACCESS_KEY", "DAFLOW_STORAGE_SECRET_KEY");

  /** Suffix of the GPU trainer's image tag. */
  public static final String CUDA_TAG_SUFFIX = "-cuda";

  private static final String READY = "/q/health/ready";
  private static final String LIVE = "/q/health/live";
  private static final String STARTED = "/q/health/started";
  private static final String METRICS = "/q/metrics";

  private final KubeObjects objects;
  private final String version;
  private final Externals externals;
  private final List<String> problems = new ArrayList<>();

  private ServiceRules(KubeObjects objects, String version, Externals externals) {
    this.objects = objects;
    this.version = version;
    this.externals = externals;
  }

  /**
   * Checks the services of a rendered set; every service of {@code services} must be there.
   *
   * @param version the project version, the tag of the images
   * @param externals Secrets created out of band (their keys cannot be checked here) and hosts
   *     served by another kustomization
   * @return one line per problem, empty when all is well
   */
  public static List<String> check(KubeObjects objects, Map<String, ServiceFacts> services,
      String version, Externals externals) {
    ServiceRules rules = new ServiceRules(objects, version, externals);
    for (ServiceFacts s : services.values()) {
      Optional<Deployment> d = objects.find(Deployment.class, s.name());
      if (d.isEmpty()) {
        rules.problems.add("no Deployment " + s.name());
      } else {
        rules.deployment(s, Workload.of(d.get()).orElseThrow());
      }
      rules.service(s);
    }
    return List.copyOf(rules.problems);
  }

  private void deployment(ServiceFacts s, Workload w) {
    String label = w.label();
    Map<String, String> labels = w.podLabels();
    if (!s.name().equals(labels.get("app.kubernetes.io/name"))
        || !"daflow".equals(labels.get("app.kubernetes.io/part-of"))) {
      problems.add(label + ": pod labels must be app.kubernetes.io/name=" + s.name()
          + " and app.kubernetes.io/part-of=daflow (the Prometheus relabelling), got " + labels);
    }
    Map<String, String> annotations = w.podAnnotations();
    expect(label, "annotation prometheus.io/scrape", "true",
        annotations.get("prometheus.io/scrape"));
    expect(label, "annotation prometheus.io/path", METRICS, annotations.get("prometheus.io/path"));
    expect(label, "annotation prometheus.io/port", String.valueOf(s.httpPort()),
        annotations.get("prometheus.io/port"));
    Container c = list(w.pod().getContainers()).stream()
        .filter(x -> s.name().equals(x.getName())).findFirst().orElse(null);
    if (c == null) {
      problems.add(label + ": no container named " + s.name());
      return;
    }
    String image = c.getImage() == null ? "" : c.getImage();
    boolean cuda = image.endsWith(CUDA_TAG_SUFFIX);
    String expected = s.imageRepository() + ":" + version;
    if (!image.equals(expected) && !image.equals(expected + CUDA_TAG_SUFFIX)) {
      problems.add(label + ": image " + image + ", expected " + expected + " (or "
          + expected + CUDA_TAG_SUFFIX + ")");
    }
    Optional<ContainerPort> http = list(c.getPorts()).stream()
        .filter(p -> "http".equals(p.getName())).findFirst();
    if (http.isEmpty() || !Objects.equals(http.get().getContainerPort(), s.httpPort())) {
      problems.add(label + ": container port 'http' must be " + s.httpPort()
          + " (quarkus.http.port), got " + http.map(ContainerPort::getContainerPort).orElse(null));
    }
    probe(label, w, "readiness", c.getReadinessProbe(), READY, s, true);
    probe(label, w, "liveness", c.getLivenessProbe(), LIVE, s, true);
    probe(label, w, "startup", c.getStartupProbe(), STARTED, s, false);
    Map<String, String> env = environment(label, c);
    for (String name : env.keySet()) {
      if (!s.reads(name)) {
        problems.add(label + ": sets " + name + ", which " + s.name() + " does not read");
      }
    }
    for (String name : REQUIRED_ENV) {
      if (!env.containsKey(name)) {
        problems.add(label + ": " + name + " is not set");
      }
    }
    writableFolders(label, c, env);
    inClusterAddresses(label, env);
    if (cuda) {
      gpu(label, w, c, env);
    }
  }

  private void probe(String label, Workload w, String kind, Probe p, String path, ServiceFacts s,
      boolean required) {
    if (p == null) {
      if (required) {
        problems.add(label + ": no " + kind + " probe");
      }
      return;
    }
    if (p.getHttpGet() == null || !path.equals(p.getHttpGet().getPath())) {
      problems.add(label + ": " + kind + " probe must GET " + path + ", got "
          + (p.getHttpGet() == null ? "no httpGet" : p.getHttpGet().getPath()));
      return;
    }
    Optional<Integer> port = w.resolvePort(p.getHttpGet().getPort());
    if (port.isEmpty() || port.get() != s.httpPort()) {
      problems.add(label + ": " + kind + " probe port " + p.getHttpGet().getPort()
          + " is not " + s.httpPort());
    }
  }

  /** The container's variables by name: env, and the keys of its envFrom ConfigMaps/Secrets. */
  private Map<String, String> environment(String label, Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : list(c.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        objects.configMap(from.getConfigMapRef().getName())
            .ifPresent(data -> data.forEach((k, v) -> env.put(prefix + k, v)));
      }
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        Optional<List<String>> keys = objects.secretKeys(name);
        if (keys.isPresent()) {
          keys.get().forEach(k -> env.put(prefix + k, "<secret>"));
        } else if (externals.secrets().contains(name)) {
          // Created out of band with the credentials (docs/deploy.md): their two keys.
          env.put("DAFLOW_STORAGE_ACCESS_KEY", "<external secret>");
          env.put("DAFLOW_STORAGE_SECRET_KEY", "<external secret>");
        }
      }
    }
    for (EnvVar e : list(c.getEnv())) {
      env.put(e.getName(), e.getValue() != null ? e.getValue() : "<from " + label + ">");
    }
    return env;
  }

  private void writableFolders(String label, Container c, Map<String, String> env) {
    boolean readOnly = c.getSecurityContext() != null
        && Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem());
    if (!readOnly) {
      problems.add(label + ": the root file system is not read-only");
      return;
    }
    env.forEach((name, value) -> {
      if ((name.endsWith("_DIR") || name.endsWith("_CACHE")) && value.startsWith("/")
          && list(c.getVolumeMounts()).stream().filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
              .map(VolumeMount::getMountPath)
              .noneMatch(mount -> value.equals(mount) || value.startsWith(mount + "/"))) {
        problems.add(label + ": " + name + "=" + value
            + " is on the read-only root file system (no writable volume there)");
      }
    });
  }

  /** Kafka and S3 given as in-namespace names (no dot) must be Services of this set. */
  private void inClusterAddresses(String label, Map<String, String> env) {
    String kafka = env.get("KAFKA_BOOTSTRAP_SERVERS");
    if (kafka != null) {
      for (String server : kafka.split(",")) {
        String[] hostPort = server.trim().split(":");
        if (hostPort.length == 2) {
          inCluster(label, "KAFKA_BOOTSTRAP_SERVERS", hostPort[0], hostPort[1]);
        }
      }
    }
    String store = env.get("DAFLOW_STORAGE_ENDPOINT");
    if (store != null && store.startsWith("http")) {
      URI uri = URI.create(store);
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      inCluster(label, "DAFLOW_STORAGE_ENDPOINT", uri.getHost(), String.valueOf(port));
    }
  }

  private void inCluster(String label, String variable, String host, String port) {
    if (host == null || host.contains(".") || host.equals("localhost")
        || externals.hosts().contains(host)) {
      return;
    }
    Optional<Service> svc = objects.find(Service.class, host);
    if (svc.isEmpty()) {
      problems.add(label + ": " + variable + " names " + host + ", which is no Service here");
    } else if (list(svc.get().getSpec().getPorts()).stream()
        .noneMatch(p -> String.valueOf(p.getPort()).equals(port))) {
      problems.add(label + ": " + variable + " uses port " + port + ", which Service " + host
          + " does not expose");
    }
  }

  private void gpu(String label, Workload w, Container c, Map<String, String> env) {
    Quantity gpus = c.getResources() == null || c.getResources().getLimits() == null ? null
        : c.getResources().getLimits().get("nvidia.com/gpu");
    if (gpus == null || Quantity.getAmountInBytes(gpus).signum() <= 0) {
      problems.add(label + ": a CUDA image without an nvidia.com/gpu limit");
    }
    if ((w.pod().getNodeSelector() == null || w.pod().getNodeSelector().isEmpty())
        && w.pod().getAffinity() == null) {
      problems.add(label + ": a CUDA image without a node selector or affinity for GPU nodes");
    }
    if (list(w.pod().getTolerations()).stream()
        .noneMatch(t -> "nvidia.com/gpu".equals(t.getKey()))) {
      problems.add(label + ": a CUDA image without a toleration of nvidia.com/gpu");
    }
    if (!"1".equals(env.get("DAFLOW_TRAINER_WORKERS"))) {
      problems.add(label + ": DAFLOW_TRAINER_WORKERS must be 1 with one GPU, got "
          + env.get("DAFLOW_TRAINER_WORKERS"));
    }
  }

  private void service(ServiceFacts s) {
    Optional<Service> svc = objects.find(Service.class, s.name());
    if (svc.isEmpty()) {
      problems.add("no Service " + s.name() + " (the services find each other by it)");
      return;
    }
    String label = KubeObjects.label(svc.get());
    if (!Objects.equals(svc.get().getSpec().getSelector(),
        Map.of("app.kubernetes.io/name", s.name()))) {
      problems.add(label + ": selector must be app.kubernetes.io/name=" + s.name());
    }
    Optional<ServicePort> http = list(svc.get().getSpec().getPorts()).stream()
        .filter(p -> Objects.equals(p.getPort(), s.httpPort())).findFirst();
    if (http.isEmpty()) {
      problems.add(label + ": no port " + s.httpPort());
    } else {
      IntOrString target = http.get().getTargetPort();
      boolean ok = target != null && ("http".equals(target.getStrVal())
          || Objects.equals(target.getIntVal(), s.httpPort()));
      if (!ok) {
        problems.add(label + ": port " + s.httpPort() + " must target 'http' or "
            + s.httpPort() + ", got " + target);
      }
    }
  }

  private void expect(String label, String what, String expected, String actual) {
    if (!expected.equals(actual)) {
      problems.add(label + ": " + what + " must be " + expected + ", got " + actual);
    }
  }
}
