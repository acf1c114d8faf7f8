package dev.daflow.trainer.service;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingRequested;
import dev.daflow.trainer.service.RequestValidator.Accepted;
import dev.daflow.trainer.service.RequestValidator.Verdict;
import dev.daflow.trainer.service.RunningJob.Stop;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a training request is trained, and from where: pure rules over the request's
 * validation verdict, the job's stored record and why the job is being stopped, if it is. No I/O:
 * the caller reads the record and validates the request first.
 *
 * <ul>
 *   <li>an invalid request is rejected ({@code invalid request}), keyed by {@link #rejectionKey};
 *   <li>a completed job never trains again; a failed or cancelled one does for a new request (it
 *       resumes from its checkpoint), not for a redelivered copy of the request it already
 *       served: a duplicate;
 *   <li>a job that exists with another request is rejected as a conflict, whatever its state (a
 *       completed one too): its checkpoints belong to that one, and resuming from them would mix
 *       two runs;
 *   <li>a job handed over before it started is left to its next owner;
 *   <li>else it trains, resuming as {@link Resume} says.
 * </ul>
 */
final class Admission {
  private Admission() {}

  /** What becomes of a request. */
  sealed interface Decision {}

  /** The request is invalid: {@code training.rejected} with these problems. */
  record Invalid(String key, List<String> problems) implements Decision {}

  /** The job is done with this request already: nothing to do. */
  record Duplicate(JobState state, String recordedRequestEventId) implements Decision {}

  /** The job exists with another request: {@code training.rejected} as a conflict. */
  record Conflict(String problem) implements Decision {}

  /** The job was handed over to another replica before it started: nothing to do here. */
  record HandedOver() implements Decision {}

  /** Train it. */
  record Train(Accepted accepted, Resume resume) implements Decision {}

  /**
   * Where a job resumes: its latest checkpoint that verifies, of an epoch up to {@code
   * upToEpoch}; what its new record keeps of the old one.
   *
   * @param upToEpoch the last epoch the record names ({@link Integer#MAX_VALUE} without a record:
   *     any checkpoint in the store; -1 with a record that names none): a checkpoint uploaded by a
   *     run that crashed before recording it is trained again
   * @param keepCancel a cancel request stored while the job waited for a new owner, kept
   * @param createdAt when the job was first started ({@code null}: now)
   * @param recorded the recorded announcement of the record's epoch, or {@code null}
   */
  record Resume(int upToEpoch, boolean keepCancel, Instant createdAt,
      EpochBundleSaved recorded) {

    /** A job without a record: any checkpoint, nothing kept. */
    static final Resume FRESH = new Resume(Integer.MAX_VALUE, false, null, null);

    /**
     * The recorded announcement, if it is of the epoch resumed from: when that checkpoint failed
     * to verify and an older one is resumed from, the epoch is trained and announced again.
     */
    EpochBundleSaved announcementFor(int resumedEpoch) {
      return recorded != null && recorded.epoch() == resumedEpoch ? recorded : null;
    }
  }

  /**
   * Decides on a request.
   *
   * @param request the request
   * @param requestEventId its {@code ce_id}
   * @param verdict its validation
   * @param existing the job's stored record, if any
   * @param stop why the job is being stopped, or {@code null}
   */
  static Decision decide(TrainingRequested request, String requestEventId, Verdict verdict,
      Optional<JobRecord> existing, Stop stop) {
    if (!verdict.valid()) {
      return new Invalid(rejectionKey(request.jobId()), verdict.problems());
    }
    if (existing.isPresent()) {
      JobRecord record = existing.get();
      // Another request under the job's id is refused whatever the job's state, a completed one
      // included: dropping it as a duplicate would leave its sender with no answer.
      if (!isRedelivery(record, requestEventId) && !request.equals(record.request())) {
        return new Conflict("job '" + request.jobId() + "' exists ("
            + record.state().name().toLowerCase(Locale.ROOT)
            + ") with another request; use a new job id");
      }
      if (isDuplicate(record, requestEventId)) {
        return new Duplicate(record.state(), record.requestEventId());
      }
    }
    if (stop == Stop.HANDOVER) {
      return new HandedOver();
    }
    return new Train(verdict.accepted(), existing.map(Admission::resumeOf).orElse(Resume.FRESH));
  }

  /**
   * A completed job never trains again; a failed or cancelled one does for a new request, not for
   * a redelivered copy of the request it already served.
   */
  static boolean isDuplicate(JobRecord record, String requestEventId) {
    return record.state() == JobState.COMPLETED || isRedelivery(record, requestEventId);
  }

  /** A copy of the request an ended job served ({@code ce_id} as recorded). */
  private static boolean isRedelivery(JobRecord record, String requestEventId) {
    return record.state().terminal() && Objects.equals(record.requestEventId(), requestEventId);
  }

  /** Where a job with this record resumes. */
  static Resume resumeOf(JobRecord record) {
    return new Resume(record.epoch() == null ? -1 : record.epoch(),
        !record.state().terminal() && record.cancelRequested(), record.createdAt(),
        record.checkpoint());
  }

  /** The key of a rejection: the job id when it is a valid name, else {@code unknown}. */
  static String rejectionKey(String jobId) {
    return jobId != null && TrainingRequested.NAME.matcher(jobId).matches() ? jobId : "unknown";
  }
}
