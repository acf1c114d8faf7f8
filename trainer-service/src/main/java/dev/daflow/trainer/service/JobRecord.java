package dev.daflow.trainer.service;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingRequested;
import java.time.Instant;

/**
 * The trainer's record of a job, stored as JSON at {@code checkpoints/<jobId>/job.json} ({@code
 * ObjectKeys.jobRecord}): what was asked, where the job is, and whether someone asked to cancel
 * it. Any replica reads it (REST, duplicate requests, cancel), so it lives in the object store.
 *
 * @param jobId the job
 * @param modelName the model the job trains a version of
 * @param request the request being served
 * @param requestEventId the {@code ce_id} of that request: a redelivered copy has the same id, a
 *     new request for the same job another one
 * @param state where the job is
 * @param replica the trainer replica that runs or ran it
 * @param network the architecture (the default resolved)
 * @param epoch the last epoch whose checkpoint and bundle were saved and recorded here, or {@code
 *     null} before the first; a resumed run starts after it. Recorded just before its {@code
 *     epoch-bundle.saved} is published ({@link EpochBundleAnnouncer})
 * @param totalEpochs epochs over all phases
 * @param cancelRequested someone asked to cancel the job ({@code POST /jobs/{id}/cancel})
 * @param error what went wrong ({@link JobState#FAILED}), else {@code null}
 * @param bundleKey the final bundle's key ({@link JobState#COMPLETED}), else {@code null}
 * @param createdAt when the job was first started
 * @param startedAt when the current (or last) run started
 * @param updatedAt when the record was last written
 * @param finishedAt when the job reached its terminal state, else {@code null}
 * @param checkpoint the {@code epoch-bundle.saved} of {@code epoch}, as published (or about to
 *     be: a resumed run publishes it again under the same id); {@code null} before the first
 *     epoch and in records written before this field existed. Records written when the event was
 *     {@code checkpoint.saved} read too (its {@code objectKey} as {@code bundleKey})
 * @param requestedBy who asked for the job ({@code dev.daflow.events.Principals}: {@code
 *     jwt:<name>} through {@code POST /jobs}, {@code kafka:<user>} straight on Kafka); {@code
 *     null} (shown as {@code unknown}) in records written before it was recorded
 */
public record JobRecord(String jobId, String modelName, TrainingRequested request,
    String requestEventId, JobState state, String replica, String network, Integer epoch,
    int totalEpochs, boolean cancelRequested, String error, String bundleKey, Instant createdAt,
    Instant startedAt, Instant updatedAt, Instant finishedAt, EpochBundleSaved checkpoint,
    String requestedBy) {

  /** A record that names no requester. */
  public JobRecord(String jobId, String modelName, TrainingRequested request,
      String requestEventId, JobState state, String replica, String network, Integer epoch,
      int totalEpochs, boolean cancelRequested, String error, String bundleKey, Instant createdAt,
      Instant startedAt, Instant updatedAt, Instant finishedAt, EpochBundleSaved checkpoint) {
    this(jobId, modelName, request, requestEventId, state, replica, network, epoch, totalEpochs,
        cancelRequested, error, bundleKey, createdAt, startedAt, updatedAt, finishedAt,
        checkpoint, null);
  }

  /** The record with another state, stamped {@code now} (and finished, if terminal). */
  public JobRecord withState(JobState newState, Instant now) {
    return new JobRecord(jobId, modelName, request, requestEventId, newState, replica, network,
        epoch, totalEpochs, cancelRequested, error, bundleKey, createdAt, startedAt, now,
        newState.terminal() ? now : null, checkpoint, requestedBy);
  }

  /** The record once the checkpoint {@code saved} announces is stored: its epoch is done. */
  public JobRecord withCheckpoint(EpochBundleSaved saved, Instant now) {
    return new JobRecord(jobId, modelName, request, requestEventId, state, replica, network,
        saved.epoch(), totalEpochs, cancelRequested, error, bundleKey, createdAt, startedAt, now,
        finishedAt, saved, requestedBy);
  }

  /** The record with the cancel flag set or cleared. */
  public JobRecord withCancelRequested(boolean requested, Instant now) {
    return new JobRecord(jobId, modelName, request, requestEventId, state, replica, network,
        epoch, totalEpochs, requested, error, bundleKey, createdAt, startedAt, now, finishedAt,
        checkpoint, requestedBy);
  }

  /** The record of a failed job. */
  public JobRecord failed(String why, Instant now) {
    return new JobRecord(jobId, modelName, request, requestEventId, JobState.FAILED, replica,
        network, epoch, totalEpochs, cancelRequested, why, bundleKey, createdAt, startedAt, now,
        now, checkpoint, requestedBy);
  }

  /** The record of a completed job. */
  public JobRecord completed(String finalBundleKey, Instant now) {
    return new JobRecord(jobId, modelName, request, requestEventId, JobState.COMPLETED, replica,
        network, epoch, totalEpochs, cancelRequested, null, finalBundleKey, createdAt, startedAt,
        now, now, checkpoint, requestedBy);
  }
}
