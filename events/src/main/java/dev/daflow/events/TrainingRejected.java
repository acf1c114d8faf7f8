package dev.daflow.events;

import java.util.List;

/**
 * trainer-service will not run a requested job: the request is invalid ({@link
 * TrainingRequested#validate()}), names an unknown dataset or network, or could not be read at
 * all. Produced on {@link Topics#TRAINING}.
 *
 * @param jobId the job (the key)
 * @param reason why, for people
 * @param problems each problem found, one per entry (empty when there is just the reason)
 */
public record TrainingRejected(String jobId, String reason, List<String> problems)
    implements DaflowEvent {

  public TrainingRejected {
    problems = Copies.list(problems);
  }

  @Override
  public String key() {
    return jobId;
  }
}
