package dev.daflow.events;

/**
 * A trainer began (or resumed) a job. Produced by trainer-service on {@link Topics#TRAINING}.
 *
 * @param jobId the job (the key)
 * @param modelName the model this job trains a version of
 * @param method {@code source-only}, {@code dann} or {@code adda}
 * @param source source dataset name
 * @param target target dataset name
 * @param network the architecture used (the default resolved)
 * @param totalEpochs epochs over all phases (ADDA: pretraining + adaptation)
 * @param startEpoch first epoch this run executes: 0, or the epoch after the checkpoint it
 *     resumed from
 * @param worker which trainer instance runs it (host or pod name), for operators
 */
public record TrainingStarted(String jobId, String modelName, String method, String source,
    String target, String network, int totalEpochs, int startEpoch, String worker)
    implements DaflowEvent {

  @Override
  public String key() {
    return jobId;
  }
}
