package dev.daflow.deploy.compose;

import static dev.daflow.deploy.compose.ComposeFile.list;
import static dev.daflow.deploy.compose.ComposeFile.map;

import dev.daflow.deploy.ServiceFacts;
import dev.daflow.deploy.k8s.ServiceRules;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * docker-compose.yml against the services and the repository: healthchecks on every long-running
 * container, depends_on with conditions that can be met, DAFlow's services built from their
 * Dockerfiles with their image names, given only variables they read (and the ones they need),
 * publishing and probing their own port, waiting for the Kafka and object store they are pointed
 * at; the GPU profile reserving an NVIDIA device; pinned images; bind-mounted files that exist;
 * the bucket job creating the buckets the services use.
 */
public final class ComposeRules {

  /** The profile of the GPU trainer. */
  public static final String GPU_PROFILE = "gpu";

  private final Path projectDir;
  private final Map<String, ServiceFacts> facts;
  private final String version;
  private final Map<String, Map<String, Object>> services;
  private final List<String> problems = new ArrayList<>();

  private ComposeRules(ComposeFile compose, Path projectDir, Map<String, ServiceFacts> facts,
      String version) {
    this.projectDir = projectDir;
    this.facts = facts;
    this.version = version;
    this.services = compose.services();
  }

  /**
   * Checks a compose file.
   *
   * @param projectDir the folder of the compose file (build contexts and bind mounts are
   *     relative to it)
   * @param facts the DAFlow services, recognised by their build context {@code ./<name>}
   * @param version the project version, the tag of the built images
   * @return one line per problem, empty when all is well
   */
  public static List<String> check(ComposeFile compose, Path projectDir,
      Map<String, ServiceFacts> facts, String version) {
    ComposeRules rules = new ComposeRules(compose, projectDir, facts, version);
    rules.problems.addAll(compose.problems());
    rules.services.forEach(rules::service);
    rules.gpuProfile();
    rules.bucketJob();
    return List.copyOf(rules.problems);
  }

  private void service(String name, Map<String, Object> s) {
    healthcheck(name, s);
    dependsOn(name, s);
    image(name, s);
    bindMounts(name, s);
    daflowService(name).ifPresent(f -> daflow(name, s, f));
  }

  /** A container that runs once (restart "no") and that others wait for to complete. */
  private boolean oneShot(String name) {
    Map<String, Object> s = services.getOrDefault(name, Map.of());
    if (!"no".equals(String.valueOf(s.get("restart")))) {
      return false;
    }
    List<String> conditions = services.values().stream()
        .map(other -> map(map(other.get("depends_on")).get(name)).get("condition"))
        .filter(Objects::nonNull).map(String::valueOf).toList();
    return !conditions.isEmpty()
        && conditions.stream().allMatch("service_completed_successfully"::equals);
  }

  private boolean hasHealthcheck(Map<String, Object> s) {
    Map<String, Object> h = map(s.get("healthcheck"));
    return !h.isEmpty() && !Boolean.TRUE.equals(h.get("disable")) && !testOf(h).isBlank();
  }

  private void healthcheck(String name, Map<String, Object> s) {
    if (!hasHealthcheck(s) && !oneShot(name)) {
      problems.add(name + ": no healthcheck (only a one-shot job, restart \"no\", that others "
          + "wait for with service_completed_successfully, may go without)");
    }
  }

  private void dependsOn(String name, Map<String, Object> s) {
    Object deps = s.get("depends_on");
    if (deps == null) {
      return;
    }
    if (!(deps instanceof Map<?, ?>)) {
      problems.add(name + ": depends_on is a list; give each service a condition "
          + "(service_healthy, service_completed_successfully)");
      return;
    }
    map(deps).forEach((target, body) -> {
      Object condition = map(body).get("condition");
      if (!services.containsKey(target)) {
        problems.add(name + ": depends on " + target + ", which is no service");
      } else if (condition == null || "service_started".equals(condition)) {
        problems.add(name + ": depends on " + target + " without waiting for it "
            + "(condition service_healthy or service_completed_successfully)");
      } else if ("service_healthy".equals(condition)
          && !hasHealthcheck(services.get(target))) {
        problems.add(name + ": waits for " + target + " to be healthy, which has no healthcheck");
      } else if ("service_completed_successfully".equals(condition)
          && !"no".equals(String.valueOf(services.get(target).get("restart")))) {
        problems.add(name + ": waits for " + target + " to complete, which is not a one-shot "
            + "(restart \"no\")");
      }
    });
  }

  private void image(String name, Map<String, Object> s) {
    String image = String.valueOf(s.getOrDefault("image", ""));
    if (image.isBlank()) {
      problems.add(name + ": no image name");
      return;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash || image.endsWith(":latest")) {
      problems.add(name + ": image " + image + " is not pinned to a version tag");
    }
  }

  private void bindMounts(String name, Map<String, Object> s) {
    for (Object v : list(s.get("volumes"))) {
      String source = v instanceof String text ? text.split(":")[0]
          : String.valueOf(map(v).get("source"));
      if (source.startsWith("./observability") || source.startsWith("observability/")) {
        if (!Files.exists(projectDir.resolve(source).normalize())) {
          problems.add(name + ": mounts " + source + ", which does not exist");
        }
      }
    }
  }

  private Optional<ServiceFacts> daflowService(String name) {
    Map<String, Object> build = map(services.get(name).get("build"));
    String context = String.valueOf(build.getOrDefault("context", ""));
    String folder = context.startsWith("./") ? context.substring(2) : context;
    return Optional.ofNullable(facts.get(folder.replaceAll("/$", "")));
  }

  private void daflow(String name, Map<String, Object> s, ServiceFacts f) {
    Map<String, Object> build = map(s.get("build"));
    String dockerfile = String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"));
    Path file = projectDir.resolve(String.valueOf(build.get("context"))).resolve(dockerfile);
    if (!Files.isRegularFile(file)) {
      problems.add(name + ": Dockerfile " + projectDir.relativize(file.normalize())
          + " does not exist");
    } else {
      exposes(name, file, f);
    }
    boolean gpuImage = dockerfile.endsWith(".gpu");
    String expected = f.imageRepository() + ":" + version
        + (gpuImage ? ServiceRules.CUDA_TAG_SUFFIX : "");
    if (!expected.equals(s.get("image"))) {
      problems.add(name + ": image " + s.get("image") + ", expected " + expected);
    }
    Map<String, String> env = environment(s);
    for (String variable : env.keySet()) {
      if (!f.reads(variable)) {
        problems.add(name + ": sets " + variable + ", which " + f.name() + " does not read");
      }
    }
    for (String variable : ServiceRules.REQUIRED_ENV) {
      if (env.getOrDefault(variable, "").isBlank()) {
        problems.add(name + ": " + variable + " is not set");
      }
    }
    for (Object port : list(s.get("ports"))) {
      containerPort(port).filter(p -> p != f.httpPort()).ifPresent(p -> problems.add(name
          + ": publishes container port " + p + ", but " + f.name() + " listens on "
          + f.httpPort()));
    }
    String probe = "localhost:" + f.httpPort() + "/q/health/ready";
    if (!testOf(map(s.get("healthcheck"))).contains(probe)) {
      problems.add(name + ": healthcheck must ask " + probe);
    }
    waitsFor(name, s, kafkaHost(env.get("KAFKA_BOOTSTRAP_SERVERS")), "KAFKA_BOOTSTRAP_SERVERS");
    waitsFor(name, s, storageHost(env.get("DAFLOW_STORAGE_ENDPOINT")), "DAFLOW_STORAGE_ENDPOINT");
    if (gpuImage && !list(s.get("profiles")).contains(GPU_PROFILE)) {
      problems.add(name + ": the CUDA image outside the '" + GPU_PROFILE + "' profile");
    }
  }

  /** The Dockerfile's EXPOSE names the service's port (and no other). */
  private void exposes(String name, Path dockerfile, ServiceFacts f) {
    List<String> exposed = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(dockerfile)) {
        String t = line.strip();
        if (t.regionMatches(true, 0, "EXPOSE ", 0, 7)) {
          exposed.addAll(List.of(t.substring(7).strip().split("\\s+")));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (!exposed.equals(List.of(String.valueOf(f.httpPort())))) {
      problems.add(name + ": " + projectDir.relativize(dockerfile.normalize()) + " exposes "
          + exposed + ", but " + f.name() + " listens on " + f.httpPort());
    }
  }

  private void waitsFor(String name, Map<String, Object> s, Optional<String> host,
      String variable) {
    host.filter(services::containsKey).ifPresentOrElse(h -> {
      Object condition = map(map(s.get("depends_on")).get(h)).get("condition");
      if (!"service_healthy".equals(condition)) {
        problems.add(name + ": does not wait for " + h + " (" + variable
            + ") with condition service_healthy");
      }
    }, () -> problems.add(name + ": " + variable + " names no service of this file: "
        + host.orElse("nothing")));
  }

  private void gpuProfile() {
    List<String> gpu = services.entrySet().stream()
        .filter(e -> list(e.getValue().get("profiles")).contains(GPU_PROFILE))
        .map(Map.Entry::getKey).toList();
    if (gpu.isEmpty()) {
      problems.add("no service in the '" + GPU_PROFILE + "' profile");
    }
    for (String name : gpu) {
      if (!reservesNvidiaGpu(services.get(name))) {
        problems.add(name + ": in the '" + GPU_PROFILE + "' profile without reserving an "
            + "NVIDIA GPU (deploy.resources.reservations.devices: driver nvidia, capabilities "
            + "[gpu])");
      }
    }
    services.forEach((name, s) -> {
      if (!gpu.contains(name) && reservesNvidiaGpu(s)) {
        problems.add(name + ": reserves a GPU outside the '" + GPU_PROFILE + "' profile");
      }
    });
  }

  private static boolean reservesNvidiaGpu(Map<String, Object> s) {
    Map<String, Object> reservations =
        map(map(map(s.get("deploy")).get("resources")).get("reservations"));
    return list(reservations.get("devices")).stream().map(ComposeFile::map)
        .anyMatch(d -> "nvidia".equals(d.get("driver"))
            && list(d.get("capabilities")).contains("gpu"));
  }

  /** The one-shot that the services wait for creates every bucket they default to. */
  private void bucketJob() {
    Set<String> buckets = facts.values().stream().flatMap(f -> f.defaults().entrySet().stream())
        .filter(e -> e.getKey().startsWith("daflow.storage.bucket.")).map(Map.Entry::getValue)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    List<String> jobs = services.keySet().stream().filter(this::oneShot).toList();
    if (jobs.isEmpty()) {
      problems.add("no one-shot job creating the buckets " + buckets);
      return;
    }
    String commands = jobs.stream().map(services::get)
        .map(s -> String.valueOf(s.get("entrypoint")) + " " + s.get("command"))
        .collect(Collectors.joining(" "));
    for (String bucket : buckets) {
      if (!commands.contains(bucket)) {
        problems.add("the one-shot jobs " + jobs + " do not create bucket " + bucket);
      }
    }
  }

  private static Map<String, String> environment(Map<String, Object> s) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = s.get("environment");
    if (raw instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else {
      for (Object entry : list(raw)) {
        String[] kv = String.valueOf(entry).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }

  private static Optional<Integer> containerPort(Object port) {
    if (port instanceof Map<?, ?> m) {
      return Optional.ofNullable(m.get("target")).map(t -> Integer.parseInt(String.valueOf(t)));
    }
    String text = String.valueOf(port).split("/")[0];
    String last = text.substring(text.lastIndexOf(':') + 1);
    return last.matches("\\d+") ? Optional.of(Integer.parseInt(last)) : Optional.empty();
  }

  private static String testOf(Map<String, Object> healthcheck) {
    Object test = healthcheck.get("test");
    if (test instanceof List<?> l) {
      return l.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
    return test == null ? "" : String.valueOf(test);
  }

  private static Optional<String> kafkaHost(String servers) {
    if (servers == null || servers.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(servers.split(",")[0].trim().split(":")[0]);
  }

  private static Optional<String> storageHost(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(URI.create(endpoint.trim()).getHost());
  }
}
