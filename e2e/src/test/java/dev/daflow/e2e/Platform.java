package dev.daflow.e2e;

import dev.daflow.events.EventCodec;
import dev.daflow.local.BrokerSecurity;
import dev.daflow.local.KafkaBroker;
import dev.daflow.local.LocalStack;
import dev.daflow.local.Services;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.platform.kafka.TopicSetup;
import dev.daflow.testsupport.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The platform under test, started once for all end-to-end test classes: the local stack's
 * broker (its client listener {@code SASL_SSL}: TLS, SCRAM users and ACLs, as in production; the
 * tests are its client user, the services its services user) and S3 server, then the four
 * services, each its own process, and a real Prometheus
 * (Debian's package) scraping them every second, as in production (logs in {@code
 * target/e2e-stack/logs}). Stopped when the test run ends.
 */
final class Platform implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
  private static Platform instance;

  LocalStack stack;
  Map<Services.Service, Services.Running> services;
  EventLog events;
  EventPublisher publisher;
  /** The tests' Kafka client settings: the stack's client user over SASL_SSL. */
  KafkaSettings kafka;
  Path datasets;
  PrometheusServer prometheus;
  /** When the services were up: the start of what Prometheus has scraped. */
  Instant started;

  static Platform get() {
    return instance;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (Platform.class) {
      if (instance != null) {
        return;
      }
      datasets = Path.of(System.getProperty("test.datasets", "../../shared/datasets"))
          .toAbsolutePath().normalize();
      // From an empty broker and store every run: objects kept from an earlier run would make
      // ingestion answer "already stored" and publish no dataset.ingested.
      Path folder = Path.of("target", "e2e-stack");
      deleteTree(folder);
      stack = LocalStack.start(folder,
          LocalStack.Options.FREE_PORTS.withKafkaListener(KafkaBroker.Listener.SASL_SSL));
      kafka = new KafkaSettings(stack.kafka().bootstrapServers(), "e2e",
          stack.kafka().clientSecurity(BrokerSecurity.CLIENT_USER));
      Http.token = stack.token(); // the local user's: every role
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("daflow-platform", this);
      instance = this;
      // The topics first: a consumer subscribed to topics that do not exist yet may not see
      // them for minutes (its metadata refresh), and the event log would miss events.
      TopicSetup.ensureTopics(kafka, (short) 1);
      events = new EventLog(kafka);
      publisher = new EventPublisher(kafka, EventCodec.forService("e2e"));
      services = Services.startAll(stack, Map.of("DAFLOW_DATA_MIRROR", datasets.toString()));
      prometheus = PrometheusServer.start(stack.folders().root().resolve("prometheus"),
          stack.folders().log("prometheus"), scrapeTargets(),
          PrometheusServer.Settings.local());
      started = Instant.now();
    }
  }

  URI url(Services.Service s, String path) {
    return services.get(s).resolve(path);
  }

  /** Starts another process of a service (after one was killed), with the same settings. */
  Services.Running restart(Services.Service s, String name) {
    Services.Running r = Services.start(stack, s, name,
        Map.of("DAFLOW_DATA_MIRROR", datasets.toString()));
    services.put(s, r);
    prometheus.setTargets(scrapeTargets());
    return r;
  }

  /**
   * Starts another process of a service beside the platform's (a further trainer replica), with
   * the same settings plus {@code env} and {@code jvmOptions}; stopped with the stack at the end.
   */
  Services.Running startReplica(Services.Service s, String name, Map<String, String> env,
      List<String> jvmOptions) {
    Map<String, String> all = new java.util.LinkedHashMap<>(env);
    all.put("DAFLOW_DATA_MIRROR", datasets.toString());
    return Services.start(stack, s, name, all, jvmOptions);
  }

  /** Makes {@code r} the platform's process of its service, the one tests and Prometheus use. */
  void adopt(Services.Running r) {
    services.put(r.service(), r);
    prometheus.setTargets(scrapeTargets());
  }

  private List<PrometheusServer.Target> scrapeTargets() {
    return services.values().stream()
        .map(r -> PrometheusServer.Target.quarkus(r.service().module(), r.url())).toList();
  }

  @Override
  public void close() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (events != null) {
      events.close();
    }
    stack.close();
  }

  private static void deleteTree(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + folder + " for a fresh platform", e);
    }
  }
}
