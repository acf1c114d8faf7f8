package dev.daflow.trainer.service;

/** The job is over ({@link JobState#terminal()}): it cannot be cancelled any more. */
public final class JobFinishedException extends RuntimeException {
  private final JobState state;

  public JobFinishedException(String jobId, JobState state) {
    super("job '" + jobId + "' is already " + state.name().toLowerCase(java.util.Locale.ROOT));
    this.state = state;
  }

  public JobState state() {
    return state;
  }
}
