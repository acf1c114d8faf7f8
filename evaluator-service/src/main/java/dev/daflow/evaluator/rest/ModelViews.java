package dev.daflow.evaluator.rest;

import dev.daflow.evaluator.service.ModelQueries;
import dev.daflow.evaluator.service.ModelRecord;
import dev.daflow.evaluator.service.StoredEvaluation;
import dev.daflow.events.ModelEvaluated;
import java.util.List;
import java.util.Map;

/** The JSON bodies of {@code /models}. */
public final class ModelViews {
  private ModelViews() {}

  /**
   * A model in {@code GET /models}.
   *
   * @param name the model
   * @param currentVersion the serving version; null before the first promotion
   * @param versions every promotion, version 1 first
   * @param jobs the jobs that trained candidates, with their evaluations
   * @param declined the jobs whose promotion was declined, and why ({@code
   *     model.promotion.declined})
   */
  public record ModelSummary(String name, Integer currentVersion, List<VersionView> versions,
      List<JobView> jobs, List<ModelRecord.Declined> declined) {
    static ModelSummary of(ModelQueries.ModelOverview o) {
      ModelRecord r = o.record();
      return new ModelSummary(r.modelName(),
          r.current().map(ModelRecord.Version::version).orElse(null),
          r.versions().stream().map(VersionView::of).toList(),
          o.jobs().stream().map(JobView::of).toList(), r.declined());
    }
  }

  /**
   * {@code GET /models/{name}}: the summary and the full evaluation of the serving version.
   *
   * @param promoted per-class accuracy and confusion matrices of the serving version; null before
   *     the first promotion
   */
  public record ModelDetail(String name, Integer currentVersion, List<VersionView> versions,
      List<JobView> jobs, PromotedView promoted, List<ModelRecord.Declined> declined) {
    static ModelDetail of(ModelQueries.ModelDetail d) {
      ModelSummary s = ModelSummary.of(d.overview());
      PromotedView promoted = d.promoted() == null ? null : d.overview().record().current()
          .map(v -> PromotedView.of(v, d.promoted())).orElse(null);
      return new ModelDetail(s.name(), s.currentVersion(), s.versions(), s.jobs(), promoted,
          s.declined());
    }
  }

  /**
   * One promotion.
   *
   * @param artifact {@code bundle} (the job's bundle) or {@code checkpoint} (an epoch's)
   * @param promotedBy who promoted it by hand; null for the policy's promotions
   * @param promotedFrom the version whose bundle a promotion by hand serves again; else null
   */
  public record VersionView(int version, String jobId, String bundleKey, String sha256,
      String policy, Map<String, Double> metrics, String promotedAt, String artifact,
      int epoch, String promotedBy, Integer promotedFrom) {
    static VersionView of(ModelRecord.Version v) {
      return new VersionView(v.version(), v.jobId(), v.bundleKey(), v.sha256(), v.policy(),
          v.metrics(), v.promotedAt(), v.artifact(), v.epoch(), v.promotedBy(),
          v.promotedFrom());
    }
  }

  /** A job and its evaluations (epochs in order, then the job's bundle). */
  public record JobView(String jobId, String method, String source, String target,
      List<EvaluationView> evaluations, String requestedBy) {
    static JobView of(ModelQueries.JobEvaluations j) {
      return new JobView(j.job().jobId(), j.job().method(), j.job().source(), j.job().target(),
          j.evaluations().stream().map(EvaluationView::of).toList(), j.job().requestedBy());
    }
  }

  /**
   * One evaluation's accuracies and label-free validators.
   *
   * @param validators {@code model.evaluated.validators} (docs/evaluation.md); empty for an
   *     evaluation made before them
   */
  public record EvaluationView(String artifact, int epoch, String objectKey,
      double sourceAccuracy, double targetAccuracy, String evaluatedAt,
      Map<String, Double> validators) {
    static EvaluationView of(StoredEvaluation e) {
      return new EvaluationView(e.artifact(), e.epoch(), e.report().objectKey(),
          e.sourceAccuracy(), e.targetAccuracy(), e.evaluatedAt(), e.validators());
    }
  }

  /**
   * The serving version's evaluation.
   *
   * @param classNames the order of the confusion matrices' rows and columns
   * @param source results on the source test split (per-class accuracy, confusion matrix)
   * @param target results on the target test split
   */
  public record PromotedView(int version, String jobId, String artifact, int epoch,
      String bundleKey, List<String> classNames, ModelEvaluated.Evaluation source,
      ModelEvaluated.Evaluation target) {
    static PromotedView of(ModelRecord.Version v, StoredEvaluation e) {
      return new PromotedView(v.version(), v.jobId(), v.artifact(), v.epoch(), v.bundleKey(),
          e.report().classNames(), e.report().source(), e.report().target());
    }
  }
}
