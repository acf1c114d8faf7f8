package dev.daflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.daflow.events.kafka.KafkaSecurity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) as a child JVM,
 * run from the Kafka jars on this JVM's class path ({@code org.apache.kafka:kafka_2.13}). Its
 * storage is formatted afresh at each start ({@code kafka.tools.StorageTool format
 * --standalone}), so topics and records do not outlive the broker. Both listeners are on
 * 127.0.0.1; the controller's port is always chosen free. The client listener is {@code
 * PLAINTEXT}, or {@code SASL_SSL} with SCRAM users, a certificate made at start and ACLs ({@link
 * BrokerSecurity}). {@link #stop} and {@link #restart} take it away and bring it back on the same
 * data (an outage, for the fault tests).
 */
public final class KafkaBroker implements AutoCloseable {
  /** How long {@link #start} waits for the broker to answer. */
  /** System property with the file holding the broker's class path. */
  public static final String CLASSPATH_PROPERTY = "daflow.kafka.classpath";
  /** Written by this module's build: its runtime class path, broker included. */
  public static final Path DEFAULT_CLASSPATH_FILE = Path.of("local-stack/target/classpath.txt");
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /**
   * The broker JVM's options (about 360 MB resident): its slf4j-simple logs at info (these
   * properties win over the launcher's {@code simplelogger.properties} at warn).
   */
  public static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC",
      "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
      "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=info",
      "-Dorg.slf4j.simpleLogger.showDateTime=true");

  private volatile ChildProcess process;
  private final int port;
  private final int controllerPort;
  private final BrokerSecurity security;
  /** How the broker was started: {@link #restart} runs it again the same way. */
  private final ChildProcess.Spec spec;

  private KafkaBroker(ChildProcess process, int port, int controllerPort,
      BrokerSecurity security, ChildProcess.Spec spec) {
    this.process = process;
    this.port = port;
    this.controllerPort = controllerPort;
    this.security = security;
    this.spec = spec;
  }

  /** How clients reach the broker. */
  public enum Listener {
    /** No authentication, no encryption (loopback only). */
    PLAINTEXT,
    /** TLS and SCRAM-SHA-512 users with ACLs ({@link BrokerSecurity}). */
    SASL_SSL
  }

  /** Starts a broker on a free port; see {@link #start(Path, Path, int)}. */
  public static KafkaBroker start(Path dir, Path logFile) {
    return start(dir, logFile, 0);
  }

  /**
   * Formats a new log folder {@code dir/data} (removing an earlier one), writes {@code
   * dir/server.properties}, starts the broker and waits until an admin client's {@code
   * describeCluster} succeeds.
   *
   * @param dir the broker's folder (created)
   * @param logFile the broker's log (appended)
   * @param port the client port, or 0 for a free one
   * @throws IllegalStateException when the port is busy, or the broker exits or does not answer
   *     within {@link #START_TIMEOUT}; the message holds the tail of its log
   */
  public static KafkaBroker start(Path dir, Path logFile, int port) {
    return start(dir, logFile, port, Listener.PLAINTEXT);
  }

  /**
   * As {@link #start(Path, Path, int)}, with the given client listener; for {@link
   * Listener#SASL_SSL} the keys and users are made afresh under {@code dir/tls} and the ACLs are
   * created before this returns.
   */
  public static KafkaBroker start(Path dir, Path logFile, int port, Listener listener) {
    BrokerSecurity security = listener == Listener.SASL_SSL
        ? BrokerSecurity.generate(dir.resolve("tls"), logFile) : null;
    int brokerPort = Ports.freeOr(port, "Kafka broker");
    int controllerPort = Ports.freeOr(0, "Kafka controller");
    Path config = dir.resolve("server.properties");
    try {
      Files.createDirectories(dir);
      deleteTree(dir.resolve("data"));
      Files.writeString(config, serverProperties(dir.resolve("data"), brokerPort, controllerPort,
          security), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka folder " + dir, e);
    }
    String classpath = brokerClasspath();
    List<String> format = new ArrayList<>(List.of("format", "--standalone", "-t",
        Uuid.randomUuid().toString(), "-c", config.toString()));
    if (security != null) {
      format.addAll(security.formatArguments());
    }
    ChildProcess.runToEnd(new ChildProcess.Spec("kafka-format",
        ChildProcess.java(List.of("-Xmx256m"), classpath, "kafka.tools.StorageTool",
            format.toArray(String[]::new)), dir, logFile, Map.of()), Duration.ofSeconds(60));
    ChildProcess.Spec spec = new ChildProcess.Spec("kafka",
        ChildProcess.java(JVM_OPTIONS, classpath, "kafka.Kafka", config.toString()), dir,
        logFile, Map.of());
    try (Admin admin = Admin.create(adminProperties(brokerPort, security))) {
      ChildProcess process = startReady(spec, brokerPort, admin);
      if (security != null) {
        try {
          security.createAcls(admin);
        } catch (RuntimeException e) {
          process.close();
          throw e;
        }
      }
      return new KafkaBroker(process, brokerPort, controllerPort, security, spec);
    }
  }

  /** Starts the broker's process and waits until an admin client gets the cluster's nodes. */
  private static ChildProcess startReady(ChildProcess.Spec spec, int brokerPort, Admin admin) {
    return ChildProcess.startReady(spec, "the Kafka broker did not answer on " + Ports.HOST + ":"
        + brokerPort, START_TIMEOUT, Duration.ofMillis(200), () -> {
          try {
            admin.describeCluster().nodes().get();
            return true;
          } catch (java.util.concurrent.ExecutionException e) {
            return false; // not up yet
          }
        });
  }

  private static Properties adminProperties(int brokerPort, BrokerSecurity security) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Ports.HOST + ":" + brokerPort);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    if (security != null) {
      security.admin().apply(props);
    }
    return props;
  }

  /**
   * Stops the broker's process (SIGTERM: a controlled shutdown), keeping its log folder, its
   * ports and its keys, so that {@link #restart} brings back the same broker with its topics,
   * records, committed offsets, users and ACLs: a broker outage, as the fault tests make one.
   */
  public void stop() {
    process.close();
  }

  /**
   * Starts the broker again after {@link #stop} (or a crash) on the same data, ports and
   * configuration, without formatting its storage, and waits until it answers.
   *
   * @throws IllegalStateException when it is still running, or does not answer within {@link
   *     #START_TIMEOUT}
   */
  public synchronized void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("the Kafka broker is running (pid " + process.pid()
          + "): stop it first");
    }
    try (Admin admin = Admin.create(adminProperties(port, security))) {
      process = startReady(spec, port, admin);
    }
  }

  /**
   * The broker's class path: this JVM's when it holds the broker ({@code kafka.Kafka}), else the
   * one this module's build wrote ({@value #CLASSPATH_PROPERTY}, default {@link
   * #DEFAULT_CLASSPATH_FILE}), so that a JVM with another Kafka client (a service's tests) can
   * start the broker too.
   */
  static String brokerClasspath() {
    try {
      Class.forName("kafka.Kafka", false, KafkaBroker.class.getClassLoader());
      return System.getProperty("java.class.path");
    } catch (ClassNotFoundException e) {
      String file = System.getProperty(CLASSPATH_PROPERTY);
      Path path = file != null && !file.isBlank() ? Path.of(file)
          : RepoPaths.find(DEFAULT_CLASSPATH_FILE);
      try {
        return Files.readString(path, StandardCharsets.UTF_8).trim();
      } catch (IOException io) {
        throw new IllegalStateException("the Kafka broker is not on this class path and " + path
            + " cannot be read: build local-stack first (./mvnw -pl local-stack -am install) "
            + "or set -D" + CLASSPATH_PROPERTY, io);
      }
    }
  }

  /** {@code 127.0.0.1:<port>}: the clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return Ports.HOST + ":" + port;
  }

  /**
   * The client settings of the services: {@link KafkaSecurity#PLAINTEXT}, or on a {@link
   * Listener#SASL_SSL} broker the user {@value BrokerSecurity#SERVICES_USER}.
   */
  public KafkaSecurity clientSecurity() {
    return clientSecurity(BrokerSecurity.SERVICES_USER);
  }

  /**
   * The client settings of one of {@link BrokerSecurity}'s users ({@link KafkaSecurity#PLAINTEXT}
   * on a {@link Listener#PLAINTEXT} broker, whatever the user).
   */
  public KafkaSecurity clientSecurity(String user) {
    return security == null ? KafkaSecurity.PLAINTEXT : security.client(user);
  }

  /** The client listener's protocol. */
  public Listener listener() {
    return security == null ? Listener.PLAINTEXT : Listener.SASL_SSL;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** The controller (KRaft quorum) port. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The broker's process (another one after {@link #restart}). */
  public ChildProcess process() {
    return process;
  }

  /** Stops the broker (idempotent); its data stays until the next start. */
  @Override
  public void close() {
    process.close();
  }

  static String serverProperties(Path data, int port, int controllerPort) {
    return serverProperties(data, port, controllerPort, null);
  }

  static String serverProperties(Path data, int port, int controllerPort,
      BrokerSecurity security) {
    String host = Ports.HOST;
    List<String> listeners = security != null
        ? security.serverProperties(host, port, controllerPort)
        : List.of("listeners=PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":"
            + controllerPort,
        "advertised.listeners=PLAINTEXT://" + host + ":" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    return String.join("\n",
        "# Written by dev.daflow.local.KafkaBroker: a single-node KRaft broker for local runs.",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=" + host + ":" + controllerPort,
        String.join("\n", listeners),
        "log.dirs=" + data.toAbsolutePath(),
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
