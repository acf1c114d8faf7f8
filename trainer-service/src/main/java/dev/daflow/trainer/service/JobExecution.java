package dev.daflow.trainer.service;

import dev.daflow.events.CheckpointSaved;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.train.TrainingCancelledException;
import dev.daflow.ml.train.TrainingListener;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.EventPublisher.PublishException;
import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import dev.daflow.storage.StorageUnavailableException;
import dev.daflow.storage.StoredObject;
import dev.daflow.trainer.service.RequestValidator.Accepted;
import dev.daflow.trainer.service.RequestValidator.Verdict;
import dev.daflow.trainer.service.RunningJob.Stop;
import dev.daflow.trainer.service.TrainingMetrics.JobMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One job on a worker thread, from its request to its terminal event: validation (or {@code
 * training.rejected}), the duplicate check against the job record (a job that exists with another
 * request is rejected as a conflict: its checkpoints belong to that one), the latest recorded
 * checkpoint fetched from the object store (and its {@code checkpoint.saved} published again, in
 * case the run that recorded it was killed before announcing it), {@code training.started},
 * training with {@code training.progress} every few iterations and, after each epoch, the
 * checkpoint and the epoch's bundle uploaded, recorded in the job record, then {@code
 * checkpoint.saved} ({@link CheckpointAnnouncer}); at the end the bundle and {@code
 * training.completed}, or {@code training.cancelled} / {@code training.failed}.
 *
 * <p>Uploads are write-once: an object already stored under a checkpoint or bundle key (by an
 * earlier run that crashed before announcing it) is kept and announced with its own SHA-256, so an
 * event never names bytes that another run replaced. A run resumed from epoch {@code k} trains the
 * same weights as an uninterrupted one (ml-core's resume determinism), so either copy is right.
 *
 * <p>An unreachable Kafka or object store pauses the job: it is retried from its last checkpoint
 * with growing pauses until they answer, or until the job is stopped. Any other error fails it.
 */
final class JobExecution {
  private static final Logger LOG = Logger.getLogger(JobExecution.class);
  /** How often a running job reads its record for a cancel request sent to another replica. */
  static final Duration CANCEL_POLL = Duration.ofSeconds(5);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY = Duration.ofSeconds(60);
  /** After a failed progress event, progress is not published for this long. */
  private static final Duration PROGRESS_BACKOFF = Duration.ofSeconds(30);

  /**
   * What a job needs from the service.
   *
   * @param progressEvery iterations between two {@code training.progress} events
   */
  record Deps(RequestValidator validator, JobRecords records, ObjectStore store,
      EventPublisher publisher, DatasetSource datasets, TrainingMetrics metrics,
      String replicaId, Path workDir, int progressEvery, Clock clock) {}

  private final Deps d;
  private final RunningJob job;
  private final String jobId;
  private final CheckpointAnnouncer checkpoints;

  JobExecution(Deps deps, RunningJob job) {
    this.d = deps;
    this.job = job;
    this.jobId = job.jobId();
    this.checkpoints = new CheckpointAnnouncer(deps.records()::update,
        deps.publisher()::publish, deps.clock());
  }

  /** Runs the job to its end; never throws. */
  void run() {
    Duration pause = FIRST_RETRY;
    while (true) {
      try {
        runOnce();
        return;
      } catch (StorageUnavailableException | PublishException e) {
        if (job.stopping()) {
          LOG.infof("job %s: stopped while %s", jobId, e.getMessage());
          return;
        }
        LOG.warnf("job %s: paused, retrying in %d s from its last checkpoint: %s", jobId,
            pause.toSeconds(), e.getMessage());
        if (!sleepUnlessStopped(pause)) {
          return;
        }
        pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
      } catch (RuntimeException | Error e) {
        // A bug of ours rather than of the job: say so, and let the request go.
        LOG.errorf(e, "job %s: unexpected error", jobId);
        return;
      }
    }
  }

  private void runOnce() {
    TrainingRequested r = job.request();
    Verdict verdict = d.validator().check(r);
    if (!verdict.valid()) {
      reject(verdict.problems());
      return;
    }
    Accepted accepted = verdict.accepted();
    job.network(accepted.network());
    Optional<JobRecord> existing = d.records().find(jobId);
    if (existing.isPresent() && isDuplicate(existing.get())) {
      d.metrics().duplicate();
      LOG.infof("job %s: already %s (request %s); not training it again", jobId,
          existing.get().state(), existing.get().requestEventId());
      return;
    }
    if (existing.isPresent() && !r.equals(existing.get().request())) {
      // Its checkpoints belong to another configuration: resuming from them would mix runs.
      String problem = "job '" + jobId + "' exists ("
          + existing.get().state().name().toLowerCase(Locale.ROOT)
          + ") with another request; use a new job id";
      LOG.infof("job %s: rejected: %s", jobId, problem);
      publish(new TrainingRejected(jobId, "conflict", List.of(problem)),
          EventIds.of(EventType.TRAINING_REJECTED, jobId, job.requestEventId()));
      d.metrics().rejected("conflict");
      return;
    }
    if (job.stopReason() == Stop.HANDOVER) {
      LOG.infof("job %s: handed over before it started", jobId);
      return;
    }
    train(accepted, existing.orElse(null));
  }

  /**
   * A completed job never trains again; a failed or cancelled one does for a new request (it
   * resumes from its checkpoint), not for a redelivered copy of the request it already served.
   */
  private boolean isDuplicate(JobRecord record) {
    return record.state() == JobState.COMPLETED
        || record.state().terminal()
        && Objects.equals(record.requestEventId(), job.requestEventId());
  }

  private void reject(List<String> problems) {
    String key = rejectionKey(jobId);
    LOG.infof("job %s: rejected: %s", key, String.join("; ", problems));
    publish(new TrainingRejected(key, "invalid request", problems),
        EventIds.of(EventType.TRAINING_REJECTED, key, job.requestEventId()));
    d.metrics().rejected("invalid");
  }

  /** The key of a rejection: the job id when it is a valid name, else {@code unknown}. */
  static String rejectionKey(String jobId) {
    return jobId != null && TrainingRequested.NAME.matcher(jobId).matches() ? jobId : "unknown";
  }

  private void train(Accepted a, JobRecord existing) {
    Instant now = d.clock().instant();
    int total = a.spec().config().totalEpochs();
    Path dir = d.workDir().resolve(jobId);
    resetDir(dir);
    // Resume from the last epoch the record names (all of them without a record): a checkpoint
    // uploaded by a run that crashed before recording it is trained again.
    int limit = existing == null ? Integer.MAX_VALUE
        : existing.epoch() == null ? -1 : existing.epoch();
    int resumed = downloadCheckpoint(dir, limit);
    int startEpoch = resumed + 1;
    boolean keepCancel = existing != null && !existing.state().terminal()
        && existing.cancelRequested();
    // The recorded announcement goes with its epoch (not when that checkpoint failed to verify
    // and an older one is resumed from: the epoch is trained and announced again).
    CheckpointSaved last = existing != null && existing.checkpoint() != null
        && existing.checkpoint().epoch() == resumed ? existing.checkpoint() : null;
    JobRecord record = d.records().write(new JobRecord(jobId, a.modelName(), job.request(),
        job.requestEventId(), JobState.RUNNING, d.replicaId(), a.network(),
        resumed >= 0 ? resumed : null, total, keepCancel, null, null,
        existing != null && existing.createdAt() != null ? existing.createdAt() : now, now, now,
        null, last));
    if (checkpoints.reannounce(record)) {
      LOG.infof("job %s: announced its recorded checkpoint of epoch %d again", jobId, resumed);
    }
    if (record.cancelRequested()) {
      // Cancelled through another replica while the request waited for a new owner.
      job.stop(Stop.USER);
      deleteDir(dir);
      cancelled(startEpoch);
      return;
    }
    job.state(JobState.RUNNING);
    job.live().started(startEpoch, total);
    Progress progress = new Progress(a, total);
    try (JobMeters meters = d.metrics().job(jobId, job.live())) {
      progress.meters = meters;
      TrainingRequested r = job.request();
      LOG.infof("job %s: training %s %s -> %s (%s), epochs %d..%d of %d on %s", jobId,
          r.method(), r.source(), r.target(), a.network(), startEpoch, total - 1, total,
          d.replicaId());
      publish(new TrainingStarted(jobId, a.modelName(), r.method(), r.source(), r.target(),
              a.network(), total, startEpoch, d.replicaId()),
          EventIds.of(EventType.TRAINING_STARTED, jobId, startEpoch));
      JobResult result = new JobRunner(d.datasets())
          .run(a.spec(), progress, job.token(), dir, progress::onEpochModel);
      Path file = dir.resolve("final.bundle");
      ModelBundle.save(result.model(), file);
      StoredObject bundle = putOnce(ObjectKeys.bundle(jobId), file);
      publish(new TrainingCompleted(jobId, a.modelName(), bundle.key(), bundle.sha256(), total,
              result.training().seconds(), result.training().imagesPerSecond(),
              result.model().card().metrics()),
          EventIds.of(EventType.TRAINING_COMPLETED, jobId));
      d.records().update(jobId, x -> x.completed(bundle.key(), d.clock().instant()));
      job.state(JobState.COMPLETED);
      d.metrics().finished("completed");
      LOG.infof("job %s: completed, bundle %s (source test accuracy %.4f)", jobId, bundle.key(),
          result.sourceTest().accuracy());
    } catch (TrainingCancelledException e) {
      if (job.stopReason() == Stop.HANDOVER) {
        LOG.infof("job %s: handed over during epoch %d; its next owner resumes it", jobId,
            e.epoch());
        return;
      }
      cancelled(e.epoch());
    } catch (StorageUnavailableException | PublishException e) {
      throw e; // run() retries
    } catch (IOException | RuntimeException e) {
      if (job.stopReason() == Stop.HANDOVER) {
        LOG.infof("job %s: handed over, then stopped on %s", jobId, e.toString());
        return;
      }
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      failed(cause, progress.epoch);
    } finally {
      deleteDir(dir);
    }
  }

  private void cancelled(int epoch) {
    LOG.infof("job %s: cancelled during epoch %d", jobId, epoch);
    publish(new TrainingCancelled(jobId, epoch),
        EventIds.of(EventType.TRAINING_CANCELLED, jobId, job.requestEventId()));
    d.records().update(jobId, x -> x.withState(JobState.CANCELLED, d.clock().instant()));
    job.state(JobState.CANCELLED);
    d.metrics().finished("cancelled");
  }

  private void failed(Throwable e, Integer epoch) {
    String why = describe(e);
    LOG.warnf(e, "job %s: failed: %s", jobId, why);
    publish(new TrainingFailed(jobId, why, epoch),
        EventIds.of(EventType.TRAINING_FAILED, jobId, job.requestEventId()));
    d.records().update(jobId, x -> x.failed(why, d.clock().instant()));
    job.state(JobState.FAILED);
    d.metrics().finished("failed");
  }

  /** {@code ExceptionClass: message}, no stack trace, as {@code training.failed.error}. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if ((message == null || message.isBlank()) && e.getCause() != null) {
      message = e.getCause().toString();
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private void publish(DaflowEvent event, String id) {
    d.publisher().publish(event, id);
  }

  /**
   * Fetches the job's latest checkpoint of an epoch up to {@code limit} that verifies into {@code
   * dir}, where ml-core's trainer resumes from it.
   *
   * @return its epoch, or -1 when there is none
   */
  private int downloadCheckpoint(Path dir, int limit) {
    String prefix = ObjectKeys.checkpointPrefix(jobId);
    List<ObjectSummary> candidates = d.store().list(prefix).stream()
        .filter(o -> ObjectKeys.checkpointEpoch(o.key()).isPresent())
        .filter(o -> ObjectKeys.checkpointEpoch(o.key()).getAsInt() <= limit)
        .sorted(Comparator.comparingInt(
            (ObjectSummary o) -> ObjectKeys.checkpointEpoch(o.key()).getAsInt()).reversed())
        .toList();
    for (ObjectSummary o : candidates) {
      int epoch = ObjectKeys.checkpointEpoch(o.key()).getAsInt();
      String name = o.key().substring(o.key().lastIndexOf('/') + 1);
      try {
        d.store().download(o.key(), dir.resolve(name));
        LOG.infof("job %s: resuming from %s", jobId, o.key());
        return epoch;
      } catch (IntegrityException | ObjectNotFoundException e) {
        LOG.warnf("job %s: skipping checkpoint %s: %s", jobId, o.key(), e.getMessage());
      }
    }
    return -1;
  }

  /** Uploads {@code file} as {@code key} unless an object is there already (see the class). */
  private StoredObject putOnce(String key, Path file) {
    try {
      StoredObject existing = d.store().stat(key);
      LOG.infof("job %s: keeping %s from an earlier run", jobId, key);
      return existing;
    } catch (ObjectNotFoundException e) {
      if (e.bucketMissing()) {
        throw e;
      }
    } catch (IntegrityException e) {
      LOG.warnf("job %s: replacing %s: %s", jobId, key, e.getMessage());
    }
    return d.store().put(key, file, ObjectStore.OCTET_STREAM);
  }

  private boolean sleepUnlessStopped(Duration pause) {
    long until = System.nanoTime() + pause.toNanos();
    while (System.nanoTime() < until) {
      if (job.stopping()) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static void resetDir(Path dir) {
    deleteDir(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the job folder " + dir, e);
    }
  }

  private static void deleteDir(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
    }
  }

  /**
   * The job's training listener: live progress and metrics after every step, {@code
   * training.progress} every few, the cancel flag of the record every few seconds, and the
   * checkpoint and bundle of every epoch ({@link #onEpochModel}). Runs on the training thread.
   */
  private final class Progress implements TrainingListener {
    private final Accepted accepted;
    private final int total;
    private Map<String, Integer> stepsPerEpoch = Map.of();
    private JobMeters meters;
    private Integer epoch;
    private long nextCancelPoll = System.nanoTime() + CANCEL_POLL.toNanos();
    private long progressPausedUntil = System.nanoTime();

    Progress(Accepted accepted, int total) {
      this.accepted = accepted;
      this.total = total;
    }

    @Override
    public void onStart(Plan plan) {
      stepsPerEpoch = plan.stepsPerEpoch();
    }

    @Override
    public void onIteration(Iteration it) {
      epoch = it.epoch();
      int steps = stepsPerEpoch.getOrDefault(it.phase(), 0);
      job.live().iteration(it, steps);
      meters.losses(it.losses());
      if (it.iteration() % d.progressEvery() == 0 && System.nanoTime() >= progressPausedUntil) {
        try {
          publish(new TrainingProgress(jobId, it.epoch(), total, it.step(), steps,
                  it.iteration(), it.phase(), it.losses(), it.lambda(), it.learningRate(),
                  it.imagesPerSecond()),
              EventIds.of(EventType.TRAINING_PROGRESS, jobId, it.iteration()));
        } catch (PublishException e) {
          // Progress may be dropped; do not hold training up while Kafka is away.
          LOG.warnf("job %s: progress not published, pausing progress events: %s", jobId,
              e.getMessage());
          progressPausedUntil = System.nanoTime() + PROGRESS_BACKOFF.toNanos();
        }
      }
      if (System.nanoTime() >= nextCancelPoll) {
        nextCancelPoll = System.nanoTime() + CANCEL_POLL.toNanos();
        pollCancel();
      }
    }

    /** A cancel request may have reached another replica: it is in the job's record. */
    private void pollCancel() {
      try {
        if (d.records().find(jobId).map(JobRecord::cancelRequested).orElse(false)) {
          LOG.infof("job %s: its record asks to cancel it", jobId);
          job.stop(Stop.USER);
        }
      } catch (RuntimeException e) {
        LOG.debugf("job %s: cannot read its record: %s", jobId, e.getMessage());
      }
    }

    /**
     * After each epoch: checkpoint, then the epoch's bundle, then the record and {@code
     * checkpoint.saved}, in that order ({@link CheckpointAnnouncer}).
     */
    void onEpochModel(Epoch e, Model model) throws IOException {
      if (job.stopReason() == Stop.HANDOVER) {
        throw new TrainingCancelledException(e.epoch()); // the next owner redoes this epoch
      }
      int n = e.epoch();
      putOnce(ObjectKeys.checkpoint(jobId, n), e.checkpoint());
      Path file = e.checkpoint().resolveSibling(e.checkpoint().getFileName() + ".bundle");
      ModelBundle.save(model, file);
      StoredObject bundle;
      try {
        bundle = putOnce(ObjectKeys.checkpointBundle(jobId, n), file);
      } finally {
        Files.deleteIfExists(file);
      }
      JobRecord record = checkpoints.announce(new CheckpointSaved(jobId, accepted.modelName(), n,
          e.phase(), bundle.key(), bundle.sha256(), e.meanLosses(), e.seconds(),
          e.imagesPerSecond()));
      job.live().epochDone(n);
      removeOlderCheckpoints(e.checkpoint());
      if (record.cancelRequested()) {
        job.stop(Stop.USER);
      }
      LOG.infof("job %s: epoch %d of %d saved (%s, %.0f img/s)", jobId, n + 1, total,
          bundle.key(), e.imagesPerSecond());
    }

    /** Only the latest local checkpoint is ever resumed from; the store keeps them all. */
    private void removeOlderCheckpoints(Path latest) throws IOException {
      try (Stream<Path> files = Files.list(latest.getParent())) {
        files.filter(p -> p.getFileName().toString().endsWith(".ckpt"))
            .filter(p -> !p.equals(latest))
            .forEach(p -> p.toFile().delete());
      }
    }
  }
}
