package dev.daflow.evaluator.messaging;

import dev.daflow.evaluator.service.EvaluationService;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingStarted;
import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.platform.kafka.TopicSetup;
import dev.daflow.service.common.config.CommonConfig;
import dev.daflow.service.common.health.ConsumerReadiness;
import dev.daflow.service.common.metrics.MalformedEvents;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The Kafka side of the evaluator: at start, creates the topics and buckets (retrying in the
 * background while Kafka or the object store are down, so the service does not crash-loop;
 * readiness stays down meanwhile), then consumes {@link Topics#TRAINING} as group {@value #GROUP}
 * and hands {@code training.started}, {@code checkpoint.saved} and {@code training.completed} to
 * {@link EvaluationService}; other events of the topic are skipped. Evaluations run one at a time
 * on a worker thread, so the polling loop stays responsive; the offset of an event is committed
 * once its work is done. Malformed records are counted in {@code
 * daflow_events_malformed_total{topic}} (registered at zero at start) and skipped. Readiness
 * (service-common's Kafka check) waits for the consumer to poll.
 */
@ApplicationScoped
public class TrainingEventsListener implements ConsumerReadiness {
  /** The consumer group every evaluator replica joins. */
  public static final String GROUP = "daflow-evaluator";

  private static final Logger LOG = Logger.getLogger(TrainingEventsListener.class);
  private static final Duration MAX_SETUP_WAIT = Duration.ofSeconds(30);

  @Inject
  CommonConfig common;

  @Inject
  KafkaSettings settings;

  @Inject
  EventCodec codec;

  @Inject
  ObjectStore store;

  @Inject
  KafkaProbe probe;

  @Inject
  EvaluationService service;

  @Inject
  MeterRegistry registry;

  private MalformedEvents malformed;
  private ExecutorService worker;
  private Thread setup;
  private volatile boolean stopping;
  private volatile EventConsumer consumer;
  private KafkaClientMetrics kafkaMetrics;

  void onStart(@Observes StartupEvent event) {
    LOG.infof("promotion policy: %s", service.policy().name());
    malformed = new MalformedEvents(registry, List.of(Topics.TRAINING));
    worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "daflow-evaluator-worker");
      t.setDaemon(true);
      return t;
    });
    setup = new Thread(this::setUpThenConsume, "daflow-evaluator-setup");
    setup.setDaemon(true);
    setup.start();
  }

  /** The consumer, once the topics and buckets exist. */
  @Override
  public EventConsumer consumer() {
    return consumer;
  }

  @Override
  public String reads() {
    return Topics.TRAINING + " as " + GROUP;
  }

  @Override
  public String setupProblem() {
    return consumer == null ? "setting up topics and buckets" : null;
  }

  private void setUpThenConsume() {
    Duration wait = Duration.ofSeconds(2);
    while (!stopping) {
      try {
        // The object store and the probe fail within seconds when down; topic set-up waits 30 s.
        List<String> buckets = store.ensureBuckets();
        KafkaProbe.Result kafka = probe.check();
        if (!kafka.reachable()) {
          throw new IllegalStateException(kafka.detail());
        }
        List<String> topics = TopicSetup.ensureTopics(settings, common.kafka().replication());
        LOG.infof("Kafka at %s and object store at %s ready (created topics %s, buckets %s)",
            settings.bootstrapServers(), store.config().endpoint(), topics, buckets);
        break;
      } catch (RuntimeException e) {
        LOG.warnf("cannot set up topics and buckets yet (Kafka at %s, object store at %s): %s;"
            + " trying again in %d s (readiness is DOWN until then)",
            settings.bootstrapServers(), store.config().endpoint(), e.getMessage(),
            wait.toSeconds());
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
        wait = wait.multipliedBy(2).compareTo(MAX_SETUP_WAIT) > 0 ? MAX_SETUP_WAIT
            : wait.multipliedBy(2);
      }
    }
    synchronized (this) {
      if (stopping) {
        return;
      }
      consumer = new EventConsumer(settings,
          EventConsumer.Options.quick(GROUP, List.of(Topics.TRAINING)), codec, this::handle,
          new EventConsumer.Listener() {
            @Override
            public void onMalformed(ConsumerRecord<String, byte[]> record,
                EventFormatException e) {
              malformed.count(record.topic());
            }
          })
          .bind(c -> {
            kafkaMetrics = new KafkaClientMetrics(c);
            kafkaMetrics.bindTo(registry);
          })
          .start();
      LOG.infof("consuming %s as group %s", Topics.TRAINING, GROUP);
    }
  }

  /** Dispatches one event to the domain service, on the worker thread. */
  CompletionStage<?> handle(EventConsumer.Delivery delivery) {
    DaflowEvent event = delivery.event();
    if (event instanceof EpochBundleSaved c) {
      return CompletableFuture.runAsync(() -> service.onEpochBundleSaved(c), worker);
    } else if (event instanceof TrainingCompleted c) {
      return CompletableFuture.runAsync(() -> service.onTrainingCompleted(c), worker);
    } else if (event instanceof TrainingStarted s) {
      return CompletableFuture.runAsync(() -> service.onTrainingStarted(s), worker);
    }
    return CompletableFuture.completedFuture(null); // progress, failures...: not ours
  }

  void onStop(@Observes ShutdownEvent event) {
    synchronized (this) {
      stopping = true;
    }
    if (setup != null) {
      setup.interrupt();
    }
    EventConsumer c = consumer;
    if (c != null) {
      c.close(); // commits what is done; work in flight is delivered again after a restart
    }
    if (kafkaMetrics != null) {
      kafkaMetrics.close();
    }
    if (worker != null) {
      worker.shutdownNow();
      try {
        worker.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
