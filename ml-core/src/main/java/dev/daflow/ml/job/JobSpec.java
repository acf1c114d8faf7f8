package dev.daflow.ml.job;

import dev.daflow.ml.data.SourceHoldout;
import dev.daflow.ml.train.TrainingConfig;

/**
 * A training job as a user states it: which datasets, which method and network, which
 * hyperparameters.
 *
 * @param source catalog name of the labelled source dataset (e.g. {@code mnist})
 * @param target catalog name of the unlabelled target dataset (e.g. {@code usps})
 * @param config method, network and hyperparameters
 * @param trainLimit use at most this many training pictures per domain (0 = all); the first
 *     pictures of each training split, for quick runs
 * @param sourceValidation the fraction of those source pictures held out of training, for
 *     source validation ({@link SourceHoldout}, seeded by the config's seed); 0: none
 * @param requestedBy who asked for the job (e.g. {@code jwt:alice}, {@code kafka:daflow-client};
 *     see the events module's {@code Principals}), written into the model card; null: not known
 *     (a local run)
 */
public record JobSpec(String source, String target, TrainingConfig config, int trainLimit,
    double sourceValidation, String requestedBy) {

  /** A job that names no requester. */
  public JobSpec(String source, String target, TrainingConfig config, int trainLimit,
      double sourceValidation) {
    this(source, target, config, trainLimit, sourceValidation, null);
  }

  /** A job holding out {@link SourceHoldout#DEFAULT_FRACTION} of the source pictures. */
  public JobSpec(String source, String target, TrainingConfig config, int trainLimit) {
    this(source, target, config, trainLimit, SourceHoldout.DEFAULT_FRACTION);
  }

  /** This job, asked for by {@code principal}. */
  public JobSpec withRequestedBy(String principal) {
    return new JobSpec(source, target, config, trainLimit, sourceValidation, principal);
  }

  public JobSpec {
    SourceHoldout.checkFraction(sourceValidation);
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("source dataset is required");
    }
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("target dataset is required");
    }
    if (trainLimit < 0) {
      throw new IllegalArgumentException("trainLimit must be >= 0, got " + trainLimit);
    }
  }
}
