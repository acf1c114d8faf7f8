package dev.daflow.trainer.service;

import dev.daflow.ml.train.TrainingCancelledException;
import dev.daflow.platform.kafka.EventPublisher.PublishException;
import dev.daflow.storage.StorageUnavailableException;
import dev.daflow.trainer.service.Admission.Conflict;
import dev.daflow.trainer.service.Admission.Decision;
import dev.daflow.trainer.service.Admission.Duplicate;
import dev.daflow.trainer.service.Admission.HandedOver;
import dev.daflow.trainer.service.Admission.Invalid;
import dev.daflow.trainer.service.Admission.Train;
import dev.daflow.trainer.service.RunningJob.Stop;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where one run of a job on a worker is ({@link JobExecution}), and where each outcome takes it.
 * Pure: the transitions are decided here, the work of each state is done by {@link JobExecution}.
 *
 * <pre>
 *   ADMITTING --rejected--> REJECTED        ADMITTING --duplicate--> DUPLICATE
 *   ADMITTING --handed over--> HANDED_OVER  ADMITTING --accepted--> RESUMING
 *   RESUMING --cancel recorded--> CANCELLED RESUMING --resumed--> TRAINING
 *   TRAINING --> COMPLETED | CANCELLED | FAILED | HANDED_OVER
 *   any working state --store or Kafka unreachable--> PAUSED (STOPPED when the job is stopping)
 *   PAUSED --after the pause--> ADMITTING (from the last checkpoint) | STOPPED
 *   any working state --a bug--> CRASHED
 * </pre>
 *
 * <p>The states that end a run publish nothing more; those that end the job ({@link #jobState()}
 * terminal) have published their terminal event and written the record.
 */
enum RunState {
  /** Validating the request and deciding on it ({@link Admission}). */
  ADMITTING,
  /** Fetching the latest checkpoint, writing the record, announcing the recorded epoch again. */
  RESUMING,
  /** Training, saving and announcing each epoch, then the bundle and {@code training.completed}. */
  TRAINING,
  /** The object store or Kafka is unreachable: waiting before retrying from the admission. */
  PAUSED,
  /** Refused: {@code training.rejected} (invalid request, or a conflicting job). */
  REJECTED,
  /** The job is done with this request already: nothing published. */
  DUPLICATE,
  /** Its partition went to another replica: stopped without a terminal event. */
  HANDED_OVER,
  /** Stopped (handover or shutdown) while the store or Kafka was unreachable. */
  STOPPED,
  /** {@code training.completed}. */
  COMPLETED,
  /** {@code training.cancelled}. */
  CANCELLED,
  /** {@code training.failed}. */
  FAILED,
  /** An unexpected error of ours: logged, the request let go. */
  CRASHED;

  /** Whether the run is over. */
  boolean isEnd() {
    return successors().isEmpty();
  }

  /** The states this one may go to. */
  Set<RunState> successors() {
    return switch (this) {
      case ADMITTING -> EnumSet.of(REJECTED, DUPLICATE, HANDED_OVER, RESUMING, PAUSED, STOPPED,
          CRASHED);
      case RESUMING -> EnumSet.of(TRAINING, CANCELLED, PAUSED, STOPPED, CRASHED);
      case TRAINING -> EnumSet.of(COMPLETED, CANCELLED, FAILED, HANDED_OVER, PAUSED, STOPPED,
          CRASHED);
      case PAUSED -> EnumSet.of(ADMITTING, STOPPED);
      default -> EnumSet.noneOf(RunState.class);
    };
  }

  /**
   * Goes to {@code next}.
   *
   * @throws IllegalStateException if this state does not lead there (a bug)
   */
  RunState to(RunState next) {
    if (!successors().contains(next)) {
      throw new IllegalStateException("no transition from " + this + " to " + next);
    }
    return next;
  }

  /** The job's state once the run is here, as {@code GET /jobs} shows it; null: unchanged. */
  JobState jobState() {
    return switch (this) {
      case TRAINING -> JobState.RUNNING;
      case COMPLETED -> JobState.COMPLETED;
      case CANCELLED -> JobState.CANCELLED;
      case FAILED -> JobState.FAILED;
      default -> null;
    };
  }

  /** Where an admission decision leads. */
  static RunState admitted(Decision d) {
    if (d instanceof Invalid || d instanceof Conflict) {
      return REJECTED;
    } else if (d instanceof Duplicate) {
      return DUPLICATE;
    } else if (d instanceof HandedOver) {
      return HANDED_OVER;
    } else if (d instanceof Train) {
      return RESUMING;
    }
    throw new IllegalArgumentException("unknown decision " + d);
  }

  /** Where a resumed job goes: a cancel recorded while it waited for an owner ends it. */
  static RunState resumed(boolean cancelRequested) {
    return cancelRequested ? CANCELLED : TRAINING;
  }

  /**
   * Where training ends.
   *
   * @param error what stopped it, or {@code null} when it completed; an {@link
   *     OutOfMemoryError} fails the job (it needs more memory than the trainer's bounds)
   * @param stop why the job is being stopped, or {@code null}
   */
  static RunState trained(Throwable error, Stop stop) {
    if (error == null) {
      return COMPLETED;
    }
    if (isUnavailable(error)) {
      return unavailable(stop != null);
    }
    if (stop == Stop.HANDOVER) {
      return HANDED_OVER; // the next owner resumes it, whatever stopped it here
    }
    return error instanceof TrainingCancelledException ? CANCELLED : FAILED;
  }

  /** Where an unreachable store or Kafka leads: a pause, unless the job is being stopped. */
  static RunState unavailable(boolean stopping) {
    return stopping ? STOPPED : PAUSED;
  }

  /** Whether {@code e} says the object store or Kafka cannot be reached (retried, not failed). */
  static boolean isUnavailable(Throwable e) {
    return e instanceof StorageUnavailableException || e instanceof PublishException;
  }
}
