package dev.daflow.ml.job;

import dev.daflow.ml.model.Model;
import dev.daflow.ml.train.TrainingResult;

/**
 * A model {@link JobRunner#train} trained, before any test split was looked at.
 *
 * @param model the model after the last epoch, its card with the training figures and the
 *     training metrics ({@code last_epoch_<loss>}) only
 * @param training loop statistics
 */
public record TrainedModel(Model model, TrainingResult training) {}
