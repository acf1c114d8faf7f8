package dev.daflow.evaluator.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads models and their evaluations back from the object store for the REST API: nothing is
 * kept in the service's memory beyond a cache, so every replica answers the same and the answers
 * survive restarts.
 */
public final class ModelQueries {
  private final EvaluationStore store;

  public ModelQueries(EvaluationStore store) {
    this.store = store;
  }

  /**
   * A job of a model with its evaluations.
   *
   * @param job the job as the model record knows it
   * @param evaluations its epochs' evaluations in epoch order, then its bundle's
   */
  public record JobEvaluations(ModelRecord.Job job, List<StoredEvaluation> evaluations) {}

  /**
   * A model with every job's evaluations.
   *
   * @param record versions and jobs
   * @param jobs each job's evaluations, in the record's order
   */
  public record ModelOverview(ModelRecord record, List<JobEvaluations> jobs) {}

  /**
   * A model with the full evaluation of its serving version.
   *
   * @param overview the model
   * @param promoted the evaluation behind the serving version; null when none was promoted (or
   *     its evaluation is gone)
   */
  public record ModelDetail(ModelOverview overview, StoredEvaluation promoted) {}

  /** Every model, by name. */
  public List<ModelOverview> all() {
    return store.models().stream().map(this::overview).toList();
  }

  /**
   * One model.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid model name
   */
  public Optional<ModelDetail> byName(String name) {
    return store.model(name).map(record -> new ModelDetail(overview(record),
        record.current().flatMap(v -> store.evaluation(v.evaluationKey())).orElse(null)));
  }

  private ModelOverview overview(ModelRecord record) {
    Set<String> jobIds = new LinkedHashSet<>();
    record.jobs().forEach(j -> jobIds.add(j.jobId()));
    record.versions().forEach(v -> jobIds.add(v.jobId()));
    List<JobEvaluations> jobs = new ArrayList<>();
    for (String id : jobIds) {
      ModelRecord.Job job = record.job(id).orElse(new ModelRecord.Job(id, null, null, null,
          null));
      jobs.add(new JobEvaluations(job, store.evaluationsOf(id)));
    }
    return new ModelOverview(record, jobs);
  }
}
