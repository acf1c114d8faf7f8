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
 */
public record ModelReport(String modelName, int version, String jobId, String bundleKey,
    String sha256, String policy, String promotedAt, JsonNode card, String sourceDataset,
    String targetDataset, List<EpochRow> epochs, List<String> classNames,
    ModelEvaluated.Evaluation source, ModelEvaluated.Evaluation target,
    List<Embedding> embeddings, List<Distance> distances, List<Mistake> mistakes,
    int targetWrong, String computedAt, double seconds) {

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
