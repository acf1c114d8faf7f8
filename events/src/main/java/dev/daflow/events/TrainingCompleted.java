package dev.daflow.events;

import java.util.Map;

/**
 * A job finished training and its model bundle (network, weights, preprocessing, model card) is
 * in the object store. Produced by trainer-service on {@link Topics#TRAINING}; evaluator-service
 * reports the bundle's test accuracy and decides on promotion.
 *
 * <p>The bundle holds the weights of the last epoch's bundle ({@code lastEpochBundleKey}); only
 * its model card differs (the whole run's figures). A consumer that evaluated that epoch's bundle
 * need not evaluate this one again. The trainer itself evaluates no test split.
 *
 * @param jobId the job (the key)
 * @param modelName the model this bundle is a candidate version of
 * @param bundleKey object-store key of the model bundle
 * @param sha256 hex SHA-256 of the bundle object
 * @param epochs epochs trained over all phases
 * @param seconds wall time of training
 * @param imagesPerSecond training throughput (source+target pictures per second)
 * @param metrics the trainer's training measurements, e.g. {@code last_epoch_label} (the last
 *     epoch's mean of each loss); no test accuracy (evaluator-service's {@code model.evaluated}
 *     has those); may be empty
 * @param source the source dataset's name; {@code null} in events from before it was added
 * @param target the target dataset's name; likewise
 * @param lastEpochBundleKey object-store key of the last epoch's bundle ({@link EpochBundleSaved}),
 *     the same weights as this bundle; {@code null} in events from before it was added
 * @param lastEpochSha256 hex SHA-256 of that epoch's bundle; likewise
 */
public record TrainingCompleted(String jobId, String modelName, String bundleKey, String sha256,
    int epochs, double seconds, double imagesPerSecond, Map<String, Double> metrics,
    @Nullable String source, @Nullable String target, @Nullable String lastEpochBundleKey,
    @Nullable String lastEpochSha256) implements DaflowEvent {

  public TrainingCompleted {
    metrics = Copies.map(metrics);
  }

  @Override
  public String key() {
    return jobId;
  }
}
