package dev.daflow.events;

/**
 * A started job stopped on an error. Produced by trainer-service on {@link Topics#TRAINING}.
 *
 * @param jobId the job (the key)
 * @param error what went wrong, for people (exception class and message, no stack trace)
 * @param epoch the 0-based epoch it was in, or {@code null} if it failed before the first
 */
public record TrainingFailed(String jobId, String error, @Nullable Integer epoch)
    implements DaflowEvent {

  @Override
  public String key() {
    return jobId;
  }
}
