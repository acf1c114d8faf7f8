package dev.daflow.local;

import dev.daflow.s3proxy.LocalS3;
import dev.daflow.storage.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3-compatible server as a child JVM: S3Proxy ({@code org.gaul:s3proxy}, its {@code
 * jar-with-dependencies}) with the {@code filesystem} backend, each object a file under {@code
 * dir/objects/<bucket>/<key>} and its metadata in extended attributes (the folder must be on a
 * file system with user xattrs, e.g. ext4). It listens on 127.0.0.1 and checks AWS V2/V4
 * signatures. Objects are kept across restarts ({@link #stop}, {@link #restart}).
 *
 * <p>It runs {@link LocalS3#MAIN_CLASS} rather than S3Proxy's own main: the same server with its
 * store wrapped so that conditional writes ({@code If-Match}, {@code If-None-Match}) are atomic,
 * which S3Proxy alone does not guarantee for {@code If-Match} (docs/storage.md).
 */
public final class S3Server implements AutoCloseable {
  /** How long {@link #start} waits for the server to answer HTTP. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** The access key of the local stack: a local-only default, never for a shared server. */
  public static final String LOCAL_ACCESS_KEY = "daflow-local";
  /** The secret key of the local stack: a local-only default, never for a shared server. */
  public static final String LOCAL_SECRET_KEY = "daflow-local-secret";
  /** The system property naming S3Proxy's jar-with-dependencies. */
  public static final String JAR_PROPERTY = "daflow.s3proxy.jar";
  /** Where the build puts the jar, relative to the repository root. */
  public static final Path DEFAULT_JAR = Paths.get("local-stack/target/s3proxy/s3proxy.jar");
  /**
   * The server JVM's options: its bundled logback at info, without logback's own start-up
   * report.
   */
  public static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-DLOG_LEVEL=info",
      "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");

  private volatile ChildProcess process;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final Path objects;
  /** How the server was started: {@link #restart} runs it again the same way. */
  private final ChildProcess.Spec spec;

  private S3Server(ChildProcess process, int port, String accessKey, String secretKey,
      Path objects, ChildProcess.Spec spec) {
    this.process = process;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.objects = objects;
    this.spec = spec;
  }

  /**
   * Settings of a server.
   *
   * @param jar S3Proxy's jar-with-dependencies ({@link #defaultJar()})
   * @param port the port, or 0 for a free one
   * @param accessKey the access key clients sign with
   * @param secretKey the secret key clients sign with
   */
  public record Settings(Path jar, int port, String accessKey, String secretKey) {
    /** The local defaults: {@link #defaultJar()}, a free port, the local-only credentials. */
    public static Settings local() {
      return new Settings(defaultJar(), 0, LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY);
    }

    /** These settings with another port. */
    public Settings withPort(int port) {
      return new Settings(jar, port, accessKey, secretKey);
    }
  }

  /**
   * The jar: the system property {@value #JAR_PROPERTY} when set, else {@link #DEFAULT_JAR}
   * (from the repository root).
   */
  public static Path defaultJar() {
    String jar = System.getProperty(JAR_PROPERTY);
    return jar != null && !jar.isBlank() ? Paths.get(jar) : RepoPaths.find(DEFAULT_JAR);
  }

  /**
   * Writes {@code dir/s3proxy.conf}, starts the server storing under {@code dir/objects} and
   * waits until it answers an HTTP request.
   *
   * @param dir the server's folder (created)
   * @param logFile the server's log (appended)
   * @throws IllegalStateException when the jar is missing, the port is busy, or the server exits
   *     or does not answer within {@link #START_TIMEOUT}; the message holds the tail of its log
   */
  public static S3Server start(Path dir, Path logFile, Settings settings) {
    if (!Files.isRegularFile(settings.jar())) {
      throw new IllegalStateException("S3Proxy jar not found at " + settings.jar().toAbsolutePath()
          + ": build the module (./mvnw -pl local-stack -am install) or set -D" + JAR_PROPERTY);
    }
    int port = Ports.freeOr(settings.port(), "S3 server");
    Path objects = dir.resolve("objects");
    Path config = dir.resolve("s3proxy.conf");
    try {
      Files.createDirectories(objects);
      Files.writeString(config, String.join("\n",
          "# Written by dev.daflow.local.S3Server: local-only credentials.",
          "s3proxy.endpoint=http://" + Ports.HOST + ":" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + settings.accessKey(),
          "s3proxy.credential=" + settings.secretKey(),
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + objects.toAbsolutePath(),
          ""), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the S3 folder " + dir, e);
    }
    List<String> command = new java.util.ArrayList<>();
    command.add(ChildProcess.javaExecutable());
    command.addAll(JVM_OPTIONS);
    // S3Proxy's jar first: only the launcher and its decorator come from this project.
    command.addAll(List.of("-cp", settings.jar().toAbsolutePath() + java.io.File.pathSeparator
        + LocalS3.classPathEntry().toAbsolutePath(), LocalS3.MAIN_CLASS, "--properties",
        config.toAbsolutePath().toString()));
    ChildProcess.Spec spec = new ChildProcess.Spec("s3", command, dir, logFile, Map.of());
    return new S3Server(startReady(spec, port), port, settings.accessKey(),
        settings.secretKey(), objects, spec);
  }

  private static ChildProcess startReady(ChildProcess.Spec spec, int port) {
    String endpoint = endpoint(port);
    // Any HTTP answer (403 without a signature) means it serves requests.
    return ChildProcess.startReady(spec, "the S3 server did not answer on " + endpoint,
        START_TIMEOUT, Duration.ofMillis(100),
        ChildProcess.Probe.http(URI.create(endpoint + "/"), status -> true));
  }

  /**
   * Kills the server's process at once (SIGKILL: requests in flight break off, as when a node
   * fails), keeping its objects and port, so that {@link #restart} brings back the same store:
   * an outage, as the fault tests make one.
   */
  public void stop() {
    process.kill();
    process.close();
  }

  /**
   * Starts the server again after {@link #stop} (or a crash) on the same objects, port and
   * credentials, and waits until it answers.
   *
   * @throws IllegalStateException when it is still running, or does not answer within {@link
   *     #START_TIMEOUT}
   */
  public synchronized void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("the S3 server is running (pid " + process.pid()
          + "): stop it first");
    }
    process = startReady(spec, port);
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return endpoint(port);
  }

  private static String endpoint(int port) {
    return "http://" + Ports.HOST + ":" + port;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** Where the objects are: {@code <objects>/<bucket>/<key>}. */
  public Path objects() {
    return objects;
  }

  /** The configuration of a store on this server, with the default buckets and timeouts. */
  public StorageConfig config() {
    return StorageConfig.of(endpoint(), accessKey, secretKey);
  }

  /** The server's process (another one after {@link #restart}). */
  public ChildProcess process() {
    return process;
  }

  /** Stops the server (idempotent); the objects stay. */
  @Override
  public void close() {
    process.close();
  }
}
