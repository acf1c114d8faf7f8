package dev.daflow.evaluator.messaging;

import dev.daflow.evaluator.service.EvaluationService;
import dev.daflow.evaluator.service.ModelReports;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingStarted;
import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.service.common.messaging.EventHandler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The evaluator's event handler: consumes {@link Topics#TRAINING} as group {@value #GROUP} and
 * hands {@code training.started}, {@code epoch-bundle.saved} and {@code training.completed} to
 * {@link EvaluationService}; other events of the topic are skipped. Evaluations run one at a time
 * on a worker thread of their own, so the polling loop stays responsive; the offset of an event
 * is committed once its work is done. Once a completed job is promoted, its version's model
 * report is computed and stored ({@link ModelReports}) on the same thread. Set-up (topics, buckets), the malformed-events counter,
 * metrics, readiness and shutdown are service-common's {@code ManagedConsumers}.
 */
@Singleton
public class TrainingEventsListener implements EventHandler {
  /** The consumer group every evaluator replica joins. */
  public static final String GROUP = "daflow-evaluator";

  private static final Logger LOG = Logger.getLogger(TrainingEventsListener.class);

  private final EvaluationService service;
  private final ModelReports reports;
  /** The one thread evaluations run on, in the order of their events. */
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "daflow-evaluator-worker");
    t.setDaemon(true);
    return t;
  });

  public TrainingEventsListener(EvaluationService service, ModelReports reports) {
    this.service = service;
    this.reports = reports;
    LOG.infof("promotion policy: %s", service.policy().name());
  }

  @Override
  public EventConsumer.Options options() {
    return EventConsumer.Options.quick(GROUP, List.of(Topics.TRAINING));
  }

  /** Dispatches one event to the domain service, on the worker thread. */
  @Override
  public CompletionStage<?> handle(EventConsumer.Delivery delivery) {
    DaflowEvent event = delivery.event();
    if (event instanceof EpochBundleSaved c) {
      return onWorker(() -> service.onEpochBundleSaved(c));
    } else if (event instanceof TrainingCompleted c) {
      return onWorker(() -> {
        if (service.onTrainingCompleted(c)) {
          report(c);
        }
      });
    } else if (event instanceof TrainingStarted s) {
      return onWorker(() -> service.onTrainingStarted(s, delivery.envelope().principal()));
    }
    return CompletableFuture.completedFuture(null); // progress, failures...: not ours
  }

  /**
   * Computes and stores the report of the version a completed job was promoted as (once: a
   * stored one is kept). A report that cannot be made is logged; the promotion stands.
   */
  private void report(TrainingCompleted c) {
    try {
      reports.onPromoted(c.modelName(), c.jobId());
    } catch (Exception e) {
      LOG.errorf("the report of job %s (model %s) could not be made: %s", c.jobId(),
          c.modelName(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private CompletableFuture<Void> onWorker(Runnable work) {
    return CompletableFuture.runAsync(work, worker);
  }

  /** The consumer is closed: the evaluation in progress is abandoned (redelivered later). */
  @Override
  public void stopped() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
