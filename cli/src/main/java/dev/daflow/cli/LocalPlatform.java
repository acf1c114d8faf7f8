package dev.daflow.cli;

import dev.daflow.events.Topics;
import dev.daflow.local.ChildProcess;
import dev.daflow.local.BrokerSecurity;
import dev.daflow.local.LocalStack;
import dev.daflow.local.Services;
import dev.daflow.local.Services.Service;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.platform.kafka.TopicSetup;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The whole platform on this machine, for {@code daflow stack} and {@code daflow demo}: the local
 * stack (a Kafka broker in KRaft mode and S3Proxy, each a child process), the DAFlow topics, then
 * the four services, each its own process started from its Quarkus fast-jar, all logging to
 * {@code <root>/logs}. {@code <root>/stack.env} holds the endpoints and the services' URLs while
 * it runs. A JVM shutdown hook stops everything (Ctrl-C); {@link #close()} does it earlier.
 */
final class LocalPlatform implements AutoCloseable {
  /** The variable data-service reads its dataset mirror folder from. */
  static final String DATA_MIRROR_VARIABLE = "DAFLOW_DATA_MIRROR";
  /** The variable data-service reads its download cache folder from. */
  static final String DATA_CACHE_VARIABLE = "DAFLOW_DATA_CACHE";

  private final LocalStack stack;
  private final Map<Service, Services.Running> services;
  private final Thread hook;
  private final long startedNanos;

  private LocalPlatform(LocalStack stack, Map<Service, Services.Running> services, Thread hook,
      long startedNanos) {
    this.stack = stack;
    this.services = services;
    this.hook = hook;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts everything under {@code root}, printing each part as it comes up.
   *
   * @param mirror data-service's dataset mirror folder, or null
   * @param cache data-service's download cache, or null for its default
   * @throws IllegalStateException when a part does not start (with the end of its log); what had
   *     started is stopped
   */
  static LocalPlatform start(Path root, Path mirror, Path cache, PrintWriter out) {
    long t0 = System.nanoTime();
    out.println("starting Kafka (KRaft) and S3Proxy under " + root + " ...");
    out.flush();
    LocalStack stack = LocalStack.start(root, LocalStack.Options.fromEnvironment(System.getenv()));
    Thread hook = new Thread(stack::close, "daflow-stop-platform");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.printf(Locale.ROOT, "  %-10s %-24s log %s%n", "kafka", stack.kafka().bootstrapServers(),
          stack.folders().log("kafka"));
      out.printf(Locale.ROOT, "  %-10s %-24s log %s%n", "s3", stack.s3().endpoint(),
          stack.folders().log("s3"));
      TopicSetup.ensureTopics(kafka(stack), (short) 1);
      out.printf(Locale.ROOT, "  topics     %s%n", String.join(", ", Topics.all()));
      out.printf(Locale.ROOT, "starting the services (%s; mirror %s) ...%n",
          String.join(", ", java.util.Arrays.stream(Service.values()).map(Service::module)
              .toList()), mirror == null ? "none" : mirror);
      out.flush();
      Map<String, String> env = new LinkedHashMap<>();
      if (mirror != null) {
        env.put(DATA_MIRROR_VARIABLE, mirror.toAbsolutePath().toString());
      }
      if (cache != null) {
        env.put(DATA_CACHE_VARIABLE, cache.toAbsolutePath().toString());
      }
      Map<Service, Services.Running> services = Services.startAll(stack, env);
      for (Services.Running r : services.values()) {
        out.printf(Locale.ROOT, "  %-10s %-24s log %s%n", shortName(r.service()), r.url(),
            r.process().logFile());
      }
      out.printf(Locale.ROOT, "platform ready in %.1f s; logs in %s; endpoints in %s%n",
          (System.nanoTime() - t0) / 1e9, stack.folders().root().resolve("logs"),
          stack.folders().envFile());
      out.flush();
      return new LocalPlatform(stack, services, hook, t0);
    } catch (RuntimeException e) {
      stack.close();
      removeHook(hook);
      throw e;
    }
  }

  /** {@code trainer} for trainer-service. */
  static String shortName(Service s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  LocalStack stack() {
    return stack;
  }

  String bootstrapServers() {
    return stack.kafka().bootstrapServers();
  }

  /** The CLI's client settings for this platform's broker (its client user on SASL_SSL). */
  KafkaSettings kafka() {
    return kafka(stack);
  }

  private static KafkaSettings kafka(LocalStack stack) {
    return new KafkaSettings(stack.kafka().bootstrapServers(), "daflow-cli",
        stack.kafka().clientSecurity(BrokerSecurity.CLIENT_USER));
  }

  URI url(Service s) {
    return services.get(s).url();
  }

  /** A client of service {@code s} with the local user's token. */
  ServiceClient client(Service s, Duration timeout) {
    return new ServiceClient(s.module(), url(s), timeout, stack.token());
  }

  /** A process that ended while it should run, or null. */
  ChildProcess deadProcess() {
    for (ChildProcess p : stack.processes()) {
      if (!p.isAlive()) {
        return p;
      }
    }
    return null;
  }

  /** Seconds since {@link #start} began. */
  double uptimeSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Stops the services, then the broker and S3 (idempotent). */
  @Override
  public void close() {
    stack.close();
    removeHook(hook);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway; closing twice is harmless.
    }
  }
}
