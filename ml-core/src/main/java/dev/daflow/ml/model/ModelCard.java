package dev.daflow.ml.model;

import dev.daflow.ml.data.FramingDecision;
import dev.daflow.ml.train.TrainingConfig;
import java.util.Map;

/**
 * Provenance stored with every model (after Mitchell et al. 2019, "Model Cards for Model
 * Reporting"): what was trained, how, on what data, with what result.
 *
 * @param method training method id
 * @param paper the paper the method implements
 * @param config all hyperparameters, the seed included
 * @param source source-domain training data
 * @param target target-domain training data (pictures only; labels are never read), or null
 * @param metrics evaluation results, e.g. {@code target_test_accuracy}
 * @param trainingSeconds wall time of training
 * @param imagesPerSecond training throughput (source+target pictures)
 * @param libraries versions of the libraries that made the model
 * @param createdAt when the model was made (ISO-8601, UTC)
 * @param sourceValidation the part of {@code source} held out of training ({@link
 *     dev.daflow.ml.data.SourceHoldout}); null when none was (and in cards made before it was)
 * @param requestedBy who asked for the training ({@code jwt:<name>} through the trainer's REST
 *     API, {@code kafka:<user>} straight on Kafka; the events module's {@code Principals}); null
 *     when not known (local runs, and cards made before it was recorded: "unknown")
 * @param framing how the job framed its pictures and why ({@link FramingDecision}, decided from
 *     the pictures); null in cards made before the decision was recorded
 * @param normalisation how a batch-normalised network's statistics were obtained and which the
 *     model uses (the target's: AdaBN); null for networks without batch normalisation
 */
public record ModelCard(String method, String paper, TrainingConfig config, DatasetRef source,
    DatasetRef target, Map<String, Double> metrics, double trainingSeconds,
    double imagesPerSecond, Map<String, String> libraries, String createdAt,
    SourceValidation sourceValidation, String requestedBy, FramingDecision framing,
    String normalisation) {

  /** A card that says nothing of batch normalisation. */
  public ModelCard(String method, String paper, TrainingConfig config, DatasetRef source,
      DatasetRef target, Map<String, Double> metrics, double trainingSeconds,
      double imagesPerSecond, Map<String, String> libraries, String createdAt,
      SourceValidation sourceValidation, String requestedBy, FramingDecision framing) {
    this(method, paper, config, source, target, metrics, trainingSeconds, imagesPerSecond,
        libraries, createdAt, sourceValidation, requestedBy, framing, null);
  }

  /** A card that names no requester and no framing decision. */
  public ModelCard(String method, String paper, TrainingConfig config, DatasetRef source,
      DatasetRef target, Map<String, Double> metrics, double trainingSeconds,
      double imagesPerSecond, Map<String, String> libraries, String createdAt,
      SourceValidation sourceValidation) {
    this(method, paper, config, source, target, metrics, trainingSeconds, imagesPerSecond,
        libraries, createdAt, sourceValidation, null, null);
  }

  /** A card that records no framing decision. */
  public ModelCard(String method, String paper, TrainingConfig config, DatasetRef source,
      DatasetRef target, Map<String, Double> metrics, double trainingSeconds,
      double imagesPerSecond, Map<String, String> libraries, String createdAt,
      SourceValidation sourceValidation, String requestedBy) {
    this(method, paper, config, source, target, metrics, trainingSeconds, imagesPerSecond,
        libraries, createdAt, sourceValidation, requestedBy, null);
  }

  /** A card of a model trained on all of {@code source}: none held out. */
  public ModelCard(String method, String paper, TrainingConfig config, DatasetRef source,
      DatasetRef target, Map<String, Double> metrics, double trainingSeconds,
      double imagesPerSecond, Map<String, String> libraries, String createdAt) {
    this(method, paper, config, source, target, metrics, trainingSeconds, imagesPerSecond,
        libraries, createdAt, null, null);
  }

  /**
   * The source pictures held out of training: {@code SourceHoldout.indices(source.count,
   * fraction, seed)} of the first {@code source.count} pictures of the source's training split.
   *
   * @param fraction the fraction held out
   * @param seed the seed of the choice (the job's)
   * @param count pictures held out
   * @param sha256 checksum of the held-out pictures and labels ({@link Checksums#of})
   */
  public record SourceValidation(double fraction, long seed, int count, String sha256) {}

  /** The card with its held-out source pictures named. */
  public ModelCard withSourceValidation(SourceValidation held) {
    return new ModelCard(method, paper, config, source, target, metrics, trainingSeconds,
        imagesPerSecond, libraries, createdAt, held, requestedBy, framing, normalisation);
  }

  /** The card naming who asked for the training. */
  public ModelCard withRequestedBy(String principal) {
    return new ModelCard(method, paper, config, source, target, metrics, trainingSeconds,
        imagesPerSecond, libraries, createdAt, sourceValidation, principal, framing, normalisation);
  }

  /** The card with the job's framing decision. */
  public ModelCard withFraming(FramingDecision decision) {
    return new ModelCard(method, paper, config, source, target, metrics, trainingSeconds,
        imagesPerSecond, libraries, createdAt, sourceValidation, requestedBy, decision,
        normalisation);
  }

  /**
   * A dataset as used in training.
   *
   * @param name e.g. {@code mnist/train}
   * @param count pictures
   * @param sha256 checksum of the decoded pictures and labels ({@link DatasetRef#of})
   */
  public record DatasetRef(String name, int count, String sha256) {
    public static DatasetRef of(dev.daflow.ml.data.ImageDataset ds) {
      return new DatasetRef(ds.name(), ds.count(), Checksums.of(ds));
    }
  }

  /** The card with metrics replaced. */
  public ModelCard withMetrics(Map<String, Double> newMetrics) {
    return new ModelCard(method, paper, config, source, target, Map.copyOf(newMetrics),
        trainingSeconds, imagesPerSecond, libraries, createdAt, sourceValidation, requestedBy,
        framing, normalisation);
  }

  /** The card saying how the model's batch-normalisation statistics were obtained. */
  public ModelCard withNormalisation(String how) {
    return new ModelCard(method, paper, config, source, target, metrics, trainingSeconds,
        imagesPerSecond, libraries, createdAt, sourceValidation, requestedBy, framing, how);
  }
}
