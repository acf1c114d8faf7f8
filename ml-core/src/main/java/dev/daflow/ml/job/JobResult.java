package dev.daflow.ml.job;

import dev.daflow.ml.eval.EvaluationReport;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.train.TrainingResult;

/**
 * A job trained and evaluated by {@link JobRunner#run}: the model (card filled in, test
 * accuracies included) and its evaluation on both test splits.
 *
 * @param model the trained model with its card
 * @param training loop statistics
 * @param sourceTest accuracy on the source domain's test split
 * @param targetTest accuracy on the target domain's test split (reported, never used to select)
 */
public record JobResult(Model model, TrainingResult training, EvaluationReport sourceTest,
    EvaluationReport targetTest) {}
