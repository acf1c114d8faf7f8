package dev.daflow.events;

/**
 * A job was stopped on request. Checkpoints of the finished epochs stay, so a new request with
 * the same job id resumes it. Produced by trainer-service on {@link Topics#TRAINING}.
 *
 * @param jobId the job (the key)
 * @param epoch the 0-based epoch it was in when it stopped
 */
public record TrainingCancelled(String jobId, int epoch) implements DaflowEvent {

  @Override
  public String key() {
    return jobId;
  }
}
