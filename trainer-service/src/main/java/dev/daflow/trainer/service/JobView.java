package dev.daflow.trainer.service;

import dev.daflow.events.TrainingRequested;
import java.time.Instant;

/**
 * A job as {@code GET /jobs} shows it: its record, and for a job running on the replica that
 * answers, its live progress.
 *
 * @param jobId the job
 * @param modelName the model it trains a version of ({@code null} while queued)
 * @param state where it is
 * @param replica the replica that runs or ran it
 * @param network the architecture ({@code null} while queued)
 * @param epoch the last epoch whose checkpoint was recorded, {@code null} before the first
 * @param checkpointKey the object key of that epoch's bundle ({@code epoch-bundle.saved}'s {@code
 *     bundleKey}), {@code null} before the first or in records from before this field existed
 * @param totalEpochs epochs over all phases (0 while queued)
 * @param cancelRequested someone asked to cancel it
 * @param error why it failed, else {@code null}
 * @param bundleKey its bundle once completed, else {@code null}
 * @param createdAt when it first started
 * @param startedAt when its current (or last) run started
 * @param updatedAt when its record last changed
 * @param finishedAt when it ended, else {@code null}
 * @param request the request it serves
 * @param progress live progress, only from the replica running it; else {@code null}
 * @param requestedBy who asked for it ({@code jwt:<name>}, {@code kafka:<user>}); {@code null}:
 *     unknown (records from before it was recorded)
 */
public record JobView(String jobId, String modelName, JobState state, String replica,
    String network, Integer epoch, String checkpointKey, int totalEpochs, boolean cancelRequested,
    String error, String bundleKey, Instant createdAt, Instant startedAt, Instant updatedAt,
    Instant finishedAt, TrainingRequested request, LiveProgress.Snapshot progress,
    String requestedBy) {

  static JobView of(JobRecord r, RunningJob local) {
    boolean live = local != null && local.state() == JobState.RUNNING;
    return new JobView(r.jobId(), r.modelName(), r.state(), r.replica(), r.network(), r.epoch(),
        r.checkpoint() == null ? null : r.checkpoint().bundleKey(), r.totalEpochs(),
        r.cancelRequested(), r.error(), r.bundleKey(), r.createdAt(), r.startedAt(), r.updatedAt(),
        r.finishedAt(), r.request(),
        live ? local.live().snapshot() : null, r.requestedBy());
  }

  /** A job this replica holds that has no record yet (queued). */
  static JobView queued(RunningJob local, String replica) {
    return new JobView(local.jobId(), null, JobState.QUEUED, replica, local.network(), null,
        null, 0,
        local.stopReason() == RunningJob.Stop.USER, null, null, local.receivedAt(), null,
        local.receivedAt(), null, local.request(), null, local.principal());
  }
}
