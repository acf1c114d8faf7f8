package dev.daflow.events;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.Map;

/**
 * An epoch finished and the model after it is in the object store as a bundle (beside the
 * epoch's resumable checkpoint, which a resumed job starts from). Produced by trainer-service on
 * {@link Topics#TRAINING}; evaluator-service evaluates the bundle on the test splits of the two
 * datasets the event names.
 *
 * <p>Called {@code checkpoint.saved} before (ce_type {@code dev.daflow.checkpoint.saved}, with
 * {@code objectKey} for {@code bundleKey} and no datasets): such records still decode into this
 * record ({@link EventType#formerCeTypes()}), {@code source} and {@code target} then null.
 *
 * @param jobId the job (the key)
 * @param modelName the model this job trains a version of
 * @param epoch the 0-based epoch (over all phases) the bundle ends
 * @param phase {@code train}, {@code pretrain} or {@code adapt}
 * @param source the source dataset's name, whose test split the bundle is evaluated on; {@code
 *     null} only in {@code checkpoint.saved} records
 * @param target the target dataset's name, likewise
 * @param bundleKey object-store key of the epoch's model bundle ({@code objectKey} in {@code
 *     checkpoint.saved} records, where it may name the {@code .ckpt} beside the bundle)
 * @param sha256 hex SHA-256 of that object
 * @param meanLosses mean of each loss over the epoch
 * @param seconds wall time of the epoch
 * @param imagesPerSecond source+target training pictures per second over the epoch
 */
public record EpochBundleSaved(String jobId, String modelName, int epoch, String phase,
    @Nullable String source, @Nullable String target,
    @JsonAlias("objectKey") String bundleKey, String sha256, Map<String, Double> meanLosses,
    double seconds, double imagesPerSecond) implements DaflowEvent {

  public EpochBundleSaved {
    meanLosses = Copies.map(meanLosses);
  }

  @Override
  public String key() {
    return jobId;
  }
}
