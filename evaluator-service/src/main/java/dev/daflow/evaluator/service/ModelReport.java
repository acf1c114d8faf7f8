package dev.daflow.evaluator.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.events.ModelEvaluated;
import java.util.List;
import java.util.Map;

/**
 * The model report of one promoted version, as the object store keeps it ({@code
 * checkpoints/<jobId>/report.json}, beside the job's evaluations): everything the report page
 * shows, computed once by {@link ModelReports} when the version is promoted, so that a view only
 * renders it ({@link ReportPage}).
 *
 * @param modelName the model
 * @param version the version the job was promoted as
 * @param jobId the job that trained it
 * @param bundleKey the promoted bundle
 * @param sha256 its SHA-256
 * @param policy the promotion policy that chose it
 * @param promotedAt when, ISO-8601 UTC
 * @param card the bundle's model card as JSON (so that fields added to the card later, such as
 *     who trained it, are shown without a change here); null for a bundle without one
 * @param sourceDataset the source dataset's name (its preview is linked)
 * @param targetDataset the target dataset's name
 * @param epochs one row per evaluated epoch, in order
 * @param classNames label names, index = label
 * @param source the promoted bundle's evaluation on the source test split
 * @param target the same on the target test split
 * @param embeddings the 2-D embeddings of the first and the last epoch's features, in that order
 * @param distances the proxy A-distance of the first and the last epoch's features
 * @param mistakes target test pictures the promoted bundle gets wrong (the first ones)
 * @param targetWrong how many of the target test pictures it gets wrong in all
 * @param computedAt when the report was computed, ISO-8601 UTC
 * @param seconds how long it took
 * @param reference the proxy A-distance before adaptation, on the same pictures; null when not
 *     measured (too few pictures, or a report computed before references existed)
 * @param promotedBy who promoted the version by hand; null for a promotion by the policy
 * @param promotedFrom the version whose bundle a promotion by hand serves again; null otherwise
 */
public record ModelReport(String modelName, int version, String jobId, String bundleKey,
    String sha256, String policy, String promotedAt, JsonNode card, String sourceDataset,
    String targetDataset, List<EpochRow> epochs, List<String> classNames,
    ModelEvaluated.Evaluation source, ModelEvaluated.Evaluation target,
    List<Embedding> embeddings, List<Distance> distances, List<Mistake> mistakes,
    int targetWrong, String computedAt, double seconds, Reference reference, String promotedBy,
    Integer promotedFrom) {

  /**
   * The same report as the page of {@code v} shows it: a report is computed once per job's
   * bundle ({@code checkpoints/<jobId>/report.json}), and a version promoted by hand serves
   * that bundle again under another number, by someone, from an earlier version. Everything
   * measured stays; the promotion's facts are {@code v}'s.
   *
   * @throws IllegalArgumentException if {@code v} is not of this report's bundle
   */
  public ModelReport asVersion(ModelRecord.Version v) {
    if (!v.bundleKey().equals(bundleKey) || !v.sha256().equals(sha256)) {
      throw new IllegalArgumentException("version " + v.version() + " serves " + v.bundleKey()
          + ", not the bundle " + bundleKey + " of this report");
    }
    return new ModelReport(modelName, v.version(), jobId, bundleKey, sha256, v.policy(),
        v.promotedAt(), card, sourceDataset, targetDataset, epochs, classNames, source, target,
        embeddings, distances, mistakes, targetWrong, computedAt, seconds, reference,
        v.promotedBy(), v.promotedFrom());
  }

  /** {@link Reference#kind()}: the job's own model at the end of its source pre-training. */
  public static final String SOURCE_PHASE = "source-phase";

  /** {@link Reference#kind()}: another job's source-only model of the same domains. */
  public static final String SOURCE_ONLY_MODEL = "source-only-model";

  /** {@link Reference#kind()}: no model, the input pixels. */
  public static final String INPUT_PIXELS = "input-pixels";

  /**
   * The proxy A-distance before adaptation, which the report compares the adapted model's with:
   * measured on the same source and target test pictures as {@link #distances}, in the features
   * of an unadapted model, or in the input pixels where none is at hand.
   *
   * @param kind {@link #SOURCE_PHASE}, {@link #SOURCE_ONLY_MODEL} or {@link #INPUT_PIXELS}
   * @param description which model (or none) in words, as the page names it
   * @param bundleKey the bundle whose features were measured; null for the input pixels
   * @param pad the proxy A-distance
   * @param heldOutError the domain classifier's error on the held-out half
   * @param pictures pictures per domain
   */
  public record Reference(String kind, String description, String bundleKey, double pad,
      double heldOutError, int pictures) {}

  /**
   * One epoch's row of the per-epoch table.
   *
   * @param epoch 0-based
   * @param sourceAccuracy accuracy on the source test split
   * @param targetAccuracy accuracy on the target test split
   * @param extra further per-epoch figures by name, label-free ones (validators) among them; each
   *     becomes a column of the table and a line of the chart's legend
   */
  public record EpochRow(int epoch, double sourceAccuracy, double targetAccuracy,
      Map<String, Double> extra) {
    public EpochRow {
      extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
  }

  /**
   * Source and target features of one epoch's model in two dimensions.
   *
   * @param epoch 0-based
   * @param method how they were reduced ({@code PCA})
   * @param explained share of the variance each axis explains
   * @param points the pictures, source ones first
   */
  public record Embedding(int epoch, String method, List<Double> explained, List<Point> points) {}

  /**
   * One picture in an {@link Embedding}.
   *
   * @param x first coordinate
   * @param y second coordinate
   * @param target whether it is a target picture (else a source one)
   * @param label its true class
   */
  public record Point(double x, double y, boolean target, int label) {}

  /**
   * The proxy A-distance of one epoch's features (Ben-David et al. 2007; {@code DomainDistance}).
   *
   * @param epoch 0-based
   * @param pad in [0, 2]: 0 when the domains cannot be told apart
   * @param heldOutError the domain classifier's error on the held-out half
   * @param pictures pictures per domain
   */
  public record Distance(int epoch, double pad, double heldOutError, int pictures) {}

  /**
   * A target test picture the model gets wrong.
   *
   * @param index its index in the target test split
   * @param png the picture, PNG, base64
   * @param predicted the predicted class name
   * @param truth the true class name
   */
  public record Mistake(int index, String png, String predicted, String truth) {}
}
