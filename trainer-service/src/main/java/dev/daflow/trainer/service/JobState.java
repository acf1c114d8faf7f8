package dev.daflow.trainer.service;

/** Where a training job is. */
public enum JobState {
  /** Accepted by this replica, waiting for a worker (held in memory only). */
  QUEUED,
  /** A replica trains it. */
  RUNNING,
  /** Its bundle is in the object store and {@code training.completed} was published. */
  COMPLETED,
  /** It stopped on an error ({@code training.failed}). */
  FAILED,
  /** It was stopped on request ({@code training.cancelled}). */
  CANCELLED;

  /** Whether the job is over: no replica trains it any more. */
  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
