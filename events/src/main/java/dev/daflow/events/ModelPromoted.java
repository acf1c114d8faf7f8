package dev.daflow.events;

import java.util.Map;

/**
 * A model bundle became the serving version of its model. Produced by evaluator-service on {@link
 * Topics#MODELS}; inference-service loads the bundle, checks its SHA-256 and switches to it.
 *
 * @param modelName the model (the key)
 * @param jobId the job that trained this version
 * @param bundleKey object-store key of the model bundle
 * @param sha256 hex SHA-256 of the bundle object
 * @param version version number of the model, 1 for the first, one more for each promotion
 * @param policy the rule that promoted it, e.g. {@code best-source-accuracy}; never one that reads
 *     target-domain labels
 * @param metrics the evaluation results that went with the decision, e.g. {@code
 *     source_test_accuracy}; may be empty
 */
public record ModelPromoted(String modelName, String jobId, String bundleKey, String sha256,
    int version, String policy, Map<String, Double> metrics) implements DaflowEvent {

  public ModelPromoted {
    metrics = Copies.map(metrics);
  }

  @Override
  public String key() {
    return modelName;
  }
}
