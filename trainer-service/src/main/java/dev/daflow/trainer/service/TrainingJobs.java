package dev.daflow.trainer.service;

import dev.daflow.events.TrainingRequested;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import dev.daflow.trainer.config.TrainerConfig;
import dev.daflow.trainer.service.RunningJob.Stop;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The jobs of this replica: takes training requests, runs each on the worker pool ({@code
 * daflow.trainer.workers} threads, never the Kafka polling thread), cancels, hands jobs over when
 * their partition moves to another replica, and lists jobs for the REST API.
 *
 * <p>{@link #submit} returns a future that completes when the job is done with (terminal state,
 * rejected, duplicate, or stopped for a handover): the request's offset is committed only then, so
 * a replica killed mid-job leaves its request to be delivered again, and the job resumes from its
 * last checkpoint wherever it lands.
 */
@ApplicationScoped
public class TrainingJobs {
  private static final Logger LOG = Logger.getLogger(TrainingJobs.class);

  private final Map<String, RunningJob> jobs = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final JobExecution.Deps deps;
  private final JobRecords records;
  private final EventPublisher publisher;
  private final TrainingMetrics metrics;
  private final RequestValidator validator;
  private final String replicaId;
  private final Clock clock = Clock.systemUTC();

  public TrainingJobs(TrainerConfig config, JobRecords records, ObjectStore store,
      EventPublisher publisher, DatasetStore datasets, TrainingMetrics metrics,
      @Named("replicaId") String replicaId, Backoff backoff) {
    int workers = config.trainer().workers();
    if (workers < 1) {
      throw new IllegalArgumentException("daflow.trainer.workers must be >= 1, got " + workers);
    }
    if (config.trainer().progressEvery() < 1) {
      throw new IllegalArgumentException("daflow.trainer.progress-every must be >= 1, got "
          + config.trainer().progressEvery());
    }
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "daflow-trainer-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.records = records;
    this.publisher = publisher;
    this.metrics = metrics;
    this.replicaId = replicaId;
    this.validator = new RequestValidator(datasets::manifest);
    this.deps = new JobExecution.Deps(validator, records, store, publisher, datasets, metrics,
        replicaId, config.trainer().workDir(), config.trainer().progressEvery(), clock, backoff);
    LOG.infof("trainer replica %s: %d worker(s), checkpoints in progress under %s", replicaId,
        workers, config.trainer().workDir());
  }

  /** This replica's name. */
  public String replicaId() {
    return replicaId;
  }

  /**
   * Takes a training request (called on the Kafka polling thread: returns at once).
   *
   * @param requestEventId the request's {@code ce_id}
   * @param partition where it came from, for handovers; {@code null} if not from Kafka
   * @param principal who asked ({@code Principals.ofRequest}); {@code null} if not known
   * @return completes when the request is done with
   */
  public CompletableFuture<Void> submit(TrainingRequested request, String requestEventId,
      TopicPartition partition, String principal) {
    String jobId = request.jobId();
    boolean named = jobId != null && TrainingRequested.NAME.matcher(jobId).matches();
    RunningJob job = new RunningJob(request, requestEventId, partition, principal,
        clock.instant());
    if (named) {
      RunningJob current = jobs.putIfAbsent(jobId, job);
      if (current != null) {
        if (current.stopping() || !current.request().equals(request)) {
          // Stopping for a handover or a cancel: take the request again once it has stopped.
          // Another request under the id of a job running here (with more than one worker):
          // decided on once the run has ended, against its record (a conflict), not dropped.
          LOG.infof("job %s: waiting for its %s run here to %s", jobId,
              current.stopping() ? "previous" : "current", current.stopping() ? "stop" : "end");
          return current.done().handle((v, e) -> null)
              .thenCompose(v -> submit(request, requestEventId, partition, principal));
        }
        metrics.duplicate();
        LOG.infof("job %s: already running here; request %s not trained again", jobId,
            requestEventId);
        return CompletableFuture.completedFuture(null);
      }
    }
    try {
      pool.execute(() -> {
        try {
          new JobExecution(deps, job).run();
        } finally {
          if (named) {
            jobs.remove(jobId, job);
          }
          job.done().complete(null);
        }
      });
    } catch (RejectedExecutionException e) {
      if (named) {
        jobs.remove(jobId, job);
      }
      job.done().completeExceptionally(new IllegalStateException("the trainer is shutting down"));
    }
    return job.done();
  }

  /**
   * This replica no longer owns these partitions: stop the jobs whose requests came from them,
   * without a terminal event; their new owner receives the requests again and resumes them.
   */
  public void handOver(Collection<TopicPartition> partitions) {
    Set<TopicPartition> lost = new HashSet<>(partitions);
    for (RunningJob job : jobs.values()) {
      if (job.partition() != null && lost.contains(job.partition())) {
        LOG.infof("job %s: partition %s handed over; stopping here", job.jobId(),
            job.partition());
        job.stop(Stop.HANDOVER);
      }
    }
  }

  /**
   * Stops every job here without a terminal event (shutdown: the requests are uncommitted and
   * come back to the next owner) and waits up to {@code seconds} for the workers.
   */
  public void stopAll(long seconds) {
    jobs.values().forEach(j -> j.stop(Stop.HANDOVER));
    pool.shutdown();
    try {
      if (!pool.awaitTermination(seconds, TimeUnit.SECONDS)) {
        LOG.warnf("workers still busy after %d s; leaving them", seconds);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  void close() {
    stopAll(30);
  }

  /**
   * Asks a job to stop: sets {@code cancelRequested} in its record (seen within seconds by the
   * replica running it) and stops it at once if it runs here.
   *
   * @throws JobNotFoundException if there is no such job
   * @throws JobFinishedException if it is over already
   */
  public JobView cancel(String jobId) {
    RunningJob local = jobs.get(jobId);
    Optional<JobRecord> record = records.find(jobId);
    if (record.isEmpty() && local == null) {
      throw new JobNotFoundException(jobId);
    }
    if (local == null && record.get().state().terminal()) {
      throw new JobFinishedException(jobId, record.get().state());
    }
    Optional<JobRecord> updated = record;
    if (record.isPresent() && !record.get().state().terminal()) {
      updated = Optional.of(records.update(jobId,
          r -> r.withCancelRequested(true, clock.instant())));
    }
    if (local != null) {
      local.stop(Stop.USER);
    }
    LOG.infof("job %s: cancel requested", jobId);
    return updated.filter(r -> !r.state().terminal() || local == null)
        .map(r -> JobView.of(r, local))
        .orElseGet(() -> JobView.queued(local, replicaId));
  }

  /** A job by id, with live progress if it runs here. */
  public Optional<JobView> find(String jobId) {
    RunningJob local = jobs.get(jobId);
    Optional<JobRecord> record = records.find(jobId);
    if (record.isPresent()) {
      return Optional.of(JobView.of(record.get(), local));
    }
    return Optional.ofNullable(local).map(j -> JobView.queued(j, replicaId));
  }

  /** Every job, the most recently created first, with live progress for jobs running here. */
  public List<JobView> list() {
    List<JobView> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JobRecord r : records.list()) {
      seen.add(r.jobId());
      out.add(JobView.of(r, jobs.get(r.jobId())));
    }
    for (RunningJob j : jobs.values()) {
      if (!seen.contains(j.jobId())) {
        out.add(JobView.queued(j, replicaId));
      }
    }
    out.sort(Comparator.comparing(JobView::createdAt,
        Comparator.nullsLast(Comparator.<Instant>reverseOrder())));
    return out;
  }

  /**
   * Checks a request as the consumer will, for the REST API, and publishes it with the {@code
   * principal} attribute naming who asked: on the service's own requests topic ({@code
   * daflow.training.requests.<its Kafka user>}, which only the services may write, so the trainer
   * takes the attribute there; {@code Principals.ofRequest}), or the plain {@code
   * daflow.training.requests} on a broker without SASL.
   *
   * @param principal the bearer token's user, {@code jwt:<name>}
   * @return the problems; empty when the request was published
   */
  public List<String> request(TrainingRequested request, String principal) {
    RequestValidator.Verdict verdict = validator.check(request);
    if (!verdict.valid()) {
      return verdict.problems();
    }
    publisher.publish(request, java.util.UUID.randomUUID().toString(), principal);
    return List.of();
  }

  /** Jobs this replica holds now (queued or running). */
  public int held() {
    return jobs.size();
  }
}
