package dev.daflow.events;

import java.util.Map;

/**
 * An epoch finished and its checkpoint is in the object store. Produced by trainer-service on
 * {@link Topics#TRAINING}; evaluator-service may evaluate it, and a resumed job starts from the
 * latest one.
 *
 * @param jobId the job (the key)
 * @param modelName the model this job trains a version of
 * @param epoch the 0-based epoch (over all phases) the checkpoint ends
 * @param phase {@code train}, {@code pretrain} or {@code adapt}
 * @param objectKey object-store key of the checkpoint
 * @param sha256 hex SHA-256 of the checkpoint object
 * @param meanLosses mean of each loss over the epoch
 * @param seconds wall time of the epoch
 * @param imagesPerSecond source+target training pictures per second over the epoch
 */
public record CheckpointSaved(String jobId, String modelName, int epoch, String phase,
    String objectKey, String sha256, Map<String, Double> meanLosses, double seconds,
    double imagesPerSecond) implements DaflowEvent {

  public CheckpointSaved {
    meanLosses = Copies.map(meanLosses);
  }

  @Override
  public String key() {
    return jobId;
  }
}
