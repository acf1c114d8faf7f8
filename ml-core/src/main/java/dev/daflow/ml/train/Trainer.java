package dev.daflow.ml.train;

import java.io.IOException;

/** Trains a classifier for the target domain from labelled source and unlabelled target data. */
public interface Trainer {

  /**
   * Runs (or resumes, when a checkpoint exists) the training.
   *
   * @throws TrainingCancelledException when {@code cancel} fires; the last epoch's checkpoint
   *     remains for a later resume
   * @throws IOException when a checkpoint cannot be read or written
   */
  TrainingResult fit(DomainData data, TrainingListener listener, CancellationToken cancel)
      throws IOException;
}
