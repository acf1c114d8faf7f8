package dev.daflow.events;

import java.util.Map;

/**
 * A job finished training and its model bundle (network, weights, preprocessing, model card) is
 * in the object store. Produced by trainer-service on {@link Topics#TRAINING}; evaluator-service
 * evaluates the bundle and decides on promotion.
 *
 * @param jobId the job (the key)
 * @param modelName the model this bundle is a candidate version of
 * @param bundleKey object-store key of the model bundle
 * @param sha256 hex SHA-256 of the bundle object
 * @param epochs epochs trained over all phases
 * @param seconds wall time of training
 * @param imagesPerSecond training throughput (source+target pictures per second)
 * @param metrics the trainer's own measurements, e.g. {@code source_test_accuracy}; may be empty
 */
public record TrainingCompleted(String jobId, String modelName, String bundleKey, String sha256,
    int epochs, double seconds, double imagesPerSecond, Map<String, Double> metrics)
    implements DaflowEvent {

  public TrainingCompleted {
    metrics = Copies.map(metrics);
  }

  @Override
  public String key() {
    return jobId;
  }
}
