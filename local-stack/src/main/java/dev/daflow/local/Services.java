package dev.daflow.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four DAFlow services as child processes of a {@link LocalStack}: each runs its Quarkus
 * fast-jar ({@code <module>/target/quarkus-app/quarkus-run.jar}, built by {@code ./mvnw
 * package}) on a free port, with the stack's variables, and is waited for until its health
 * endpoint answers.
 */
public final class Services {
  /** How long a service may take to start (DL4J's natives load at start). */
  public static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private Services() {}

  /**
   * A DAFlow service: its module, the variable its URL goes in, its JVM options and, for the
   * trainer, the file of its runtime settings ({@link #launchEnvironment}).
   */
  public enum Service {
    DATA("data-service", "DAFLOW_DATA_URL", "/q/health/ready", null, "-Xmx1g",
        "-Dorg.bytedeco.javacpp.maxbytes=1G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"),
    TRAINER("trainer-service", "DAFLOW_TRAINER_URL", "/q/health/ready",
        "trainer-service/src/main/docker/trainer-runtime.env", "-Xmx2g",
        "-Dorg.bytedeco.javacpp.maxbytes=3G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=7G"),
    EVALUATOR("evaluator-service", "DAFLOW_EVALUATOR_URL", "/q/health/ready", null, "-Xmx1g",
        "-Dorg.bytedeco.javacpp.maxbytes=1G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"),
    // Inference is ready only with a model loaded: at start, wait for liveness.
    INFERENCE("inference-service", "DAFLOW_INFERENCE_URL", "/q/health/live", null, "-Xmx1g",
        "-Dorg.bytedeco.javacpp.maxbytes=1G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G");

    private final String module;
    private final String urlVariable;
    private final String startedPath;
    private final String envFile;
    private final List<String> jvmOptions;

    Service(String module, String urlVariable, String startedPath, String envFile,
        String... jvmOptions) {
      this.module = module;
      this.urlVariable = urlVariable;
      this.startedPath = startedPath;
      this.envFile = envFile;
      this.jvmOptions = List.of(jvmOptions);
    }

    /** Its JVM options (heap, JavaCPP's off-heap bounds). */
    public List<String> jvmOptions() {
      return jvmOptions;
    }

    /**
     * The variables its process starts with, besides the stack's: the settings of its env file
     * (the trainer's {@code trainer-service/src/main/docker/trainer-runtime.env}, which its
     * container image reads too), then ND4J's native threads, {@code OMP_NUM_THREADS}: the
     * caller's when it sets one ({@code bench/platform.sh} runs every process at 1), else one for
     * inference, which serves many small requests beside the other services (at 2 threads on a
     * busy 2-core machine a prediction took 100x longer, docs/benchmarks-platform.md), as in
     * compose and k8s, and every core for the others.
     *
     * @param callerOmpThreads the caller's {@code OMP_NUM_THREADS}, or null
     * @throws IllegalStateException when its env file is missing or malformed
     */
    public Map<String, String> launchEnvironment(String callerOmpThreads) {
      Map<String, String> env = new LinkedHashMap<>();
      if (envFile != null) {
        env.putAll(readEnvFile(RepoPaths.find(Path.of(envFile))));
      }
      env.put("OMP_NUM_THREADS", callerOmpThreads != null && !callerOmpThreads.isBlank()
          ? callerOmpThreads.strip()
          : String.valueOf(this == INFERENCE ? 1 : Runtime.getRuntime().availableProcessors()));
      return env;
    }

    /** Its folder in the repository, e.g. {@code trainer-service}. */
    public String module() {
      return module;
    }

    /** The variable that holds its base URL in {@code stack.env}, e.g. DAFLOW_TRAINER_URL. */
    public String urlVariable() {
      return urlVariable;
    }

    /** The built fast-jar. */
    public Path jar() {
      return RepoPaths.find(Path.of(module, "target", "quarkus-app", "quarkus-run.jar"))
          .toAbsolutePath();
    }
  }

  /**
   * A started service.
   *
   * @param process its process
   * @param url its base URL, e.g. {@code http://127.0.0.1:41234}
   */
  public record Running(Service service, ChildProcess process, URI url) {
    /** {@code url} + {@code path}. */
    public URI resolve(String path) {
      return url.resolve(path);
    }
  }

  /**
   * Starts one service and waits until it answers; then its URL goes into {@code stack.env}
   * ({@link Service#urlVariable()}).
   *
   * @param name the process name (logs go to {@code logs/<name>.log}), e.g. {@code trainer-2}
   * @param extraEnv further variables, e.g. {@code DAFLOW_DATA_MIRROR}
   * @throws IllegalStateException if its jar is missing, it dies, or it does not answer in time
   *     (then it is stopped)
   */
  public static Running start(LocalStack stack, Service service, String name,
      Map<String, String> extraEnv) {
    return start(stack, service, name, extraEnv, Ports.freeOr(0, service.module()));
  }

  /**
   * As {@link #start(LocalStack, Service, String, Map)}, with further JVM options after the
   * service's own {@link Service#jvmOptions()}: a later {@code -D} of the same property wins, e.g.
   * {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=1200M} for a trainer with a lower off-heap
   * bound, or {@code -Ddaflow.trainer.replica-id=...}.
   */
  public static Running start(LocalStack stack, Service service, String name,
      Map<String, String> extraEnv, List<String> extraJvmOptions) {
    return start(stack, service, name, extraEnv, Ports.freeOr(0, service.module()),
        extraJvmOptions);
  }

  /** As {@link #start(LocalStack, Service, String, Map)}, on {@code port}. */
  static Running start(LocalStack stack, Service service, String name,
      Map<String, String> extraEnv, int port) {
    return start(stack, service, name, extraEnv, port, List.of());
  }

  private static Running start(LocalStack stack, Service service, String name,
      Map<String, String> extraEnv, int port, List<String> extraJvmOptions) {
    Path jar = service.jar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the services first (./mvnw "
          + "-B -ntp package -DskipTests)");
    }
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaExecutable());
    command.addAll(service.jvmOptions);
    command.addAll(extraJvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    Map<String, String> env = new LinkedHashMap<>(
        service.launchEnvironment(System.getenv("OMP_NUM_THREADS")));
    env.putAll(extraEnv);
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    ChildProcess process = stack.startProcess(name, command, env);
    URI url = URI.create("http://" + Ports.HOST + ":" + port);
    try {
      process.awaitReady(name + " did not answer " + service.startedPath, START_TIMEOUT,
          Duration.ofMillis(500), () -> answers(url.resolve(service.startedPath)));
    } catch (RuntimeException e) {
      process.close(); // one that never answered must not join its consumer group later
      throw e;
    }
    stack.addToEnvironmentFile(service.urlVariable(), url.toString());
    return new Running(service, process, url);
  }

  /**
   * The variables of an env file: {@code KEY=VALUE} lines as {@code sh} reads them without
   * quoting; blank lines and {@code #} comments skipped.
   *
   * @throws IllegalStateException when it is missing or a line is not {@code KEY=VALUE}
   */
  static Map<String, String> readEnvFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || !line.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")
          || line.substring(eq + 1).matches(".*[\\s'\"$`].*")) {
        throw new IllegalStateException(file + ":" + (i + 1) + ": not KEY=VALUE (a plain value,"
            + " no quotes or spaces): " + line);
      }
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return env;
  }

  /**
   * Starts all four services, in parallel, and returns them in {@link Service} order. Their ports
   * are chosen first, so that evaluator-service's model reports can link to data-service's
   * dataset previews ({@code DAFLOW_EVALUATOR_DATA_URL}).
   */
  public static Map<Service, Running> startAll(LocalStack stack, Map<String, String> extraEnv) {
    Map<Service, Integer> ports = new LinkedHashMap<>();
    for (Service s : Service.values()) {
      ports.put(s, Ports.freeOr(0, s.module()));
    }
    Map<Service, java.util.concurrent.CompletableFuture<Running>> starting = new LinkedHashMap<>();
    for (Service s : Service.values()) {
      Map<String, String> env = new LinkedHashMap<>(extraEnv);
      if (s == Service.EVALUATOR) {
        env.putIfAbsent("DAFLOW_EVALUATOR_DATA_URL", "http://" + Ports.HOST + ":"
            + ports.get(Service.DATA));
      }
      starting.put(s, java.util.concurrent.CompletableFuture.supplyAsync(
          () -> start(stack, s, s.module(), env, ports.get(s))));
    }
    Map<Service, Running> running = new LinkedHashMap<>();
    for (var e : starting.entrySet()) {
      try {
        running.put(e.getKey(), e.getValue().join());
      } catch (java.util.concurrent.CompletionException ex) {
        throw ex.getCause() instanceof RuntimeException r ? r : ex;
      }
    }
    return running;
  }

  /** Whether {@code uri} answers 200. */
  public static boolean answers(URI uri) throws InterruptedException {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3))
          .GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
