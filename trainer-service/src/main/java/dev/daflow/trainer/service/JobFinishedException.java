package dev.daflow.trainer.service;

import dev.daflow.service.common.ServiceException;

/** The job is over ({@link JobState#terminal()}): it cannot be cancelled any more. */
public final class JobFinishedException extends ServiceException {
  private final JobState state;

  public JobFinishedException(String jobId, JobState state) {
    super(Kind.CONFLICT, "job already finished", "job '" + jobId + "' is already "
        + state.name().toLowerCase(java.util.Locale.ROOT));
    this.state = state;
  }

  public JobState state() {
    return state;
  }
}
