package dev.daflow.local;

import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack without Docker: a Kafka broker ({@link KafkaBroker}) and an S3 server ({@link
 * S3Server}), each a child process, with the DAFlow buckets created; later the services, started
 * with {@link #startProcess} and {@link #environment()}. Under its root folder ({@code
 * runs/local} by default): {@code data/<name>/} for each part's data, {@code logs/<name>.log} for
 * each part's output, {@code jwt/} with the key pair of the local token issuer ({@link LocalAuth}),
 * and {@code stack.env} (owner-only) with the variables that point a process at the stack and the
 * local user's bearer token ({@value LocalAuth#ENV_TOKEN}).
 * {@link #close()} stops every part, last started first.
 */
public final class LocalStack implements AutoCloseable {
  /** The root folder {@link #main} uses when given none. */
  public static final Path DEFAULT_ROOT = Paths.get("runs", "local");
  /** Environment variable with the Kafka client port of {@link #main} (default: a free one). */
  public static final String ENV_KAFKA_PORT = "DAFLOW_LOCAL_KAFKA_PORT";
  /** Environment variable with the S3 port of {@link #main} (default: a free one). */
  public static final String ENV_S3_PORT = "DAFLOW_LOCAL_S3_PORT";
  /**
   * Environment variable with the broker's client listener of {@link #main}: {@code PLAINTEXT}
   * (default) or {@code SASL_SSL}.
   */
  public static final String ENV_KAFKA_SECURITY = "DAFLOW_LOCAL_KAFKA_SECURITY";
  /** The variable a service reads its Kafka {@code bootstrap.servers} from. */
  public static final String ENV_KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";

  private final Folders folders;
  private final KafkaBroker kafka;
  private final S3Server s3;
  private final LocalAuth auth;
  private final List<ChildProcess> processes = new ArrayList<>();
  /** Further variables of {@code stack.env}, e.g. the services' URLs. */
  private final Map<String, String> fileOnly = new LinkedHashMap<>();
  private boolean closed;

  /** Set by {@link #main}'s shutdown hook: children ending now are being stopped. */
  private static volatile boolean stopping;

  /**
   * The stack's folders.
   *
   * @param root the root, e.g. {@code runs/local}
   */
  public record Folders(Path root) {
    /** The data folder of a part: {@code <root>/data/<name>}. */
    public Path data(String name) {
      return root.resolve("data").resolve(name);
    }

    /** The log of a part: {@code <root>/logs/<name>.log}. */
    public Path log(String name) {
      return root.resolve("logs").resolve(name + ".log");
    }

    /**
     * {@code <root>/stack.env}: the variables of {@link LocalStack#environment()}, then those
     * added by {@link LocalStack#addToEnvironmentFile} (the services' URLs).
     */
    public Path envFile() {
      return root.resolve("stack.env");
    }
  }

  /**
   * Ports of the stack, and how clients reach the broker.
   *
   * @param kafkaPort the Kafka client port, 0 for a free one
   * @param s3Port the S3 port, 0 for a free one
   * @param kafkaListener {@code PLAINTEXT}, or {@code SASL_SSL}: the services then connect as
   *     {@value BrokerSecurity#SERVICES_USER}, and {@code stack.env} holds the settings of
   *     {@value BrokerSecurity#CLIENT_USER} for the CLI
   */
  public record Options(int kafkaPort, int s3Port, KafkaBroker.Listener kafkaListener) {
    /** Free ports. */
    public static final Options FREE_PORTS = new Options(0, 0);

    /** Ports with a {@code PLAINTEXT} broker. */
    public Options(int kafkaPort, int s3Port) {
      this(kafkaPort, s3Port, KafkaBroker.Listener.PLAINTEXT);
    }

    /** These options with another broker listener. */
    public Options withKafkaListener(KafkaBroker.Listener listener) {
      return new Options(kafkaPort, s3Port, listener);
    }

    /**
     * From {@value #ENV_KAFKA_PORT}, {@value #ENV_S3_PORT} (free ports where unset) and {@value
     * #ENV_KAFKA_SECURITY} ({@code PLAINTEXT} where unset).
     */
    public static Options fromEnvironment(Map<String, String> env) {
      String security = env.getOrDefault(ENV_KAFKA_SECURITY, "");
      KafkaBroker.Listener listener;
      try {
        listener = security.isBlank() ? KafkaBroker.Listener.PLAINTEXT
            : KafkaBroker.Listener.valueOf(security.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV_KAFKA_SECURITY + " must be PLAINTEXT or SASL_SSL, "
            + "got '" + security + "'");
      }
      return new Options(port(env, ENV_KAFKA_PORT), port(env, ENV_S3_PORT), listener);
    }

    private static int port(Map<String, String> env, String name) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return 0;
      }
      try {
        int port = Integer.parseInt(value.trim());
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new IllegalArgumentException(name + " must be a port number (0-65535), got '" + value
          + "'");
    }
  }

  private LocalStack(Folders folders, KafkaBroker kafka, S3Server s3, LocalAuth auth) {
    this.folders = folders;
    this.kafka = kafka;
    this.s3 = s3;
    this.auth = auth;
    fileOnly.put(LocalAuth.ENV_TOKEN, auth.localUserToken());
  }

  /**
   * Starts the broker and the S3 server under {@code root}, creates the buckets, and writes
   * {@code stack.env}. A part that fails to start stops those already started.
   */
  public static LocalStack start(Path root, Options options) {
    // Absolute: the child processes run in folders of their own.
    Folders folders = new Folders(root.toAbsolutePath().normalize());
    KafkaBroker kafka = KafkaBroker.start(folders.data("kafka"), folders.log("kafka"),
        options.kafkaPort(), options.kafkaListener());
    S3Server s3 = null;
    try {
      s3 = S3Server.start(folders.data("s3"), folders.log("s3"),
          S3Server.Settings.local().withPort(options.s3Port()));
      try (ObjectStore store = new ObjectStore(s3.config())) {
        store.ensureBuckets();
      }
      LocalStack stack = new LocalStack(folders, kafka, s3,
          LocalAuth.create(folders.root().resolve("jwt")));
      // The CLI requests training: stack.env has the client user's settings, not the services'.
      stack.fileOnly.putAll(kafka.clientSecurity(BrokerSecurity.CLIENT_USER).toEnvironment());
      stack.writeEnvFile();
      return stack;
    } catch (RuntimeException e) {
      if (s3 != null) {
        s3.close();
      }
      kafka.close();
      throw e;
    }
  }

  /** The folders. */
  public Folders folders() {
    return folders;
  }

  /** The Kafka broker. */
  public KafkaBroker kafka() {
    return kafka;
  }

  /** The S3 server. */
  public S3Server s3() {
    return s3;
  }

  /** The issuer of the stack's bearer tokens (a key pair made at start). */
  public LocalAuth auth() {
    return auth;
  }

  /** The local user's bearer token (every role), as {@code stack.env} holds it. */
  public synchronized String token() {
    return fileOnly.get(LocalAuth.ENV_TOKEN);
  }

  /** The object-store configuration of the S3 server. */
  public StorageConfig storage() {
    return s3.config();
  }

  /**
   * The variables that point a process at this stack: {@value #ENV_KAFKA_BOOTSTRAP_SERVERS}, the
   * services' Kafka security settings ({@code DAFLOW_KAFKA_*}, none on a {@code PLAINTEXT}
   * broker), the {@code DAFLOW_STORAGE_*} variables {@link StorageConfig#fromEnvironment} reads,
   * and the token issuer and public key the services verify bearer tokens with ({@link LocalAuth}).
   */
  public Map<String, String> environment() {
    StorageConfig storage = storage();
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    env.putAll(kafka.clientSecurity().toEnvironment());
    env.put(StorageConfig.ENV_ENDPOINT, s3.endpoint());
    env.put(StorageConfig.ENV_REGION, storage.region());
    env.put(StorageConfig.ENV_ACCESS_KEY, storage.accessKey());
    env.put(StorageConfig.ENV_SECRET_KEY, storage.secretKey());
    env.put(StorageConfig.ENV_BUCKET_DATASETS, storage.buckets().datasets());
    env.put(StorageConfig.ENV_BUCKET_CHECKPOINTS, storage.buckets().checkpoints());
    env.put(StorageConfig.ENV_BUCKET_MODELS, storage.buckets().models());
    env.put(LocalAuth.ENV_ISSUER, LocalAuth.ISSUER);
    env.put(LocalAuth.ENV_PUBLIC_KEY, auth.publicKeyFile().toString());
    return env;
  }

  /**
   * Adds (or replaces) a variable in {@code stack.env} and rewrites the file, e.g. a started
   * service's URL ({@code DAFLOW_TRAINER_URL}, see {@link Services.Service#urlVariable()}), so
   * that clients such as {@code daflow jobs} find it. Not passed to child processes: {@link
   * #environment()} stays the stack's own endpoints.
   *
   * @throws IllegalStateException if the stack is stopped
   */
  public synchronized void addToEnvironmentFile(String name, String value) {
    if (closed) {
      throw new IllegalStateException("the local stack is stopped");
    }
    fileOnly.put(name, value);
    writeEnvFile();
  }

  /** What {@code stack.env} holds: {@link #environment()}, then the added variables. */
  public synchronized Map<String, String> environmentFile() {
    Map<String, String> all = new LinkedHashMap<>(environment());
    all.putAll(fileOnly);
    return all;
  }

  /**
   * Starts a further child process (a service) with {@link #environment()} added to its
   * environment, its output in {@code logs/<name>.log}, running in {@code data/<name>}; it is
   * stopped by {@link #close()}, before the broker and the S3 server.
   */
  public synchronized ChildProcess startProcess(String name, List<String> command) {
    return startProcess(name, command, Map.of());
  }

  /** As {@link #startProcess(String, List)}, with further variables ({@code extraEnv} wins). */
  public synchronized ChildProcess startProcess(String name, List<String> command,
      Map<String, String> extraEnv) {
    if (closed) {
      throw new IllegalStateException("the local stack is stopped");
    }
    try {
      Files.createDirectories(folders.data(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folders.data(name), e);
    }
    Map<String, String> env = new LinkedHashMap<>(environment());
    env.putAll(extraEnv);
    ChildProcess process = ChildProcess.start(new ChildProcess.Spec(name, command,
        folders.data(name), folders.log(name), env));
    processes.add(process);
    return process;
  }

  /** Every child process: the broker, the S3 server, then those of {@link #startProcess}. */
  public synchronized List<ChildProcess> processes() {
    List<ChildProcess> all = new ArrayList<>(List.of(kafka.process(), s3.process()));
    all.addAll(processes);
    return all;
  }

  /**
   * Stops every part, last started first, and removes {@code stack.env} (idempotent). Data and
   * logs stay.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(folders.envFile());
    } catch (IOException e) {
      // Stale but harmless: the next start overwrites it.
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    s3.close();
    kafka.close();
  }

  private synchronized void writeEnvFile() {
    StringBuilder text = new StringBuilder("# The local stack's endpoints (dev.daflow.local."
        + "LocalStack); local-only credentials.\n# set -a; . " + folders.envFile() + "; set +a\n");
    environmentFile().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      // Written whole, then moved: a reader never sees half a file. Owner-only: it holds the
      // local user's token and, on a SASL_SSL broker, Kafka passwords.
      LocalAuth.writeOwnerOnly(folders.envFile(), text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folders.envFile(), e);
    }
  }

  /**
   * Starts the stack under {@code args[0]} (default {@code runs/local}), prints its endpoints and
   * variables, and runs until Ctrl-C (or until a part exits, then with status 1).
   */
  public static void main(String[] args) throws InterruptedException {
    Path root = args.length > 0 ? Paths.get(args[0]) : DEFAULT_ROOT;
    long started = System.nanoTime();
    System.out.println("local stack: starting under " + root.toAbsolutePath()
        + " (logs in " + root.resolve("logs") + ")");
    LocalStack stack;
    try {
      stack = start(root, Options.fromEnvironment(System.getenv()));
    } catch (RuntimeException e) {
      System.err.println("local stack: failed to start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping = true;
      System.out.println("local stack: stopping");
      stack.close();
      System.out.println("local stack: stopped");
    }, "stop-local-stack"));
    System.out.printf("local stack: ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    System.out.println("  kafka  " + stack.kafka().bootstrapServers() + "  (pid "
        + stack.kafka().process().pid() + ", log " + stack.folders().log("kafka") + ")");
    System.out.println("  s3     " + stack.s3().endpoint() + "  (pid "
        + stack.s3().process().pid() + ", log " + stack.folders().log("s3") + ", objects "
        + stack.s3().objects() + ")");
    System.out.println("environment (also in " + stack.folders().envFile() + "):");
    stack.environment().forEach((k, v) -> System.out.println("  " + k + "="
        + (k.contains("PASSWORD") ? "(in the file)" : v)));
    System.out.println("Ctrl-C stops everything.");
    while (true) {
      for (ChildProcess p : stack.processes()) {
        if (!p.isAlive() && !stopping) {
          // Ctrl-C in a terminal signals the children too: give our own hook time to start.
          Thread.sleep(1000);
          if (!stopping) {
            System.err.println("local stack: " + p.died("running").getMessage());
            System.exit(1);
          }
        }
      }
      Thread.sleep(1000);
    }
  }
}
