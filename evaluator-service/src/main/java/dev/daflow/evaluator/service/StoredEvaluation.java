package dev.daflow.evaluator.service;

import dev.daflow.events.ModelEvaluated;
import java.util.Objects;

/**
 * One evaluation as the object store keeps it ({@code checkpoints/<jobId>/epoch-0003.evaluation.json}
 * or {@code checkpoints/<jobId>/final.evaluation.json}): the {@code model.evaluated} event that
 * reported it, with what the event does not say.
 *
 * @param key the object key of this record
 * @param report the evaluation, exactly as published
 * @param sha256 hex SHA-256 of the evaluated bundle object (what a promotion names)
 * @param evaluatedAt when it was evaluated, ISO-8601 UTC
 * @param seconds wall time of the evaluation (bundle download, both test splits)
 */
public record StoredEvaluation(String key, ModelEvaluated report, String sha256,
    String evaluatedAt, double seconds) {

  /** {@code checkpoint}: an epoch's bundle. */
  public static final String CHECKPOINT = "checkpoint";

  /** {@code bundle}: the bundle a completed job produced. */
  public static final String BUNDLE = "bundle";

  public StoredEvaluation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(sha256, "sha256");
  }

  /** Accuracy on the source domain's test split. */
  public double sourceAccuracy() {
    return report.source().accuracy();
  }

  /** Accuracy on the target domain's test split: for reports, never for choosing a model. */
  public double targetAccuracy() {
    return report.target().accuracy();
  }

  /**
   * The label-free validators of the evaluated model ({@code model.evaluated.validators}), by
   * name; empty for an evaluation made before them.
   */
  public java.util.Map<String, Double> validators() {
    return report.validatorsOrEmpty();
  }

  /** {@link #CHECKPOINT} or {@link #BUNDLE}. */
  public String artifact() {
    return report.artifact();
  }

  /** The 0-based epoch the evaluated model ends. */
  public int epoch() {
    return report.epoch();
  }
}
