package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

/** The first half of a resume test: a run cancelled at a given step, as a killed trainer. */
final class Interrupted {
  private Interrupted() {}

  /**
   * Trains {@code config} on {@code data} with checkpoints in {@code checkpoints} and cancels the
   * run at iteration {@code iteration}; fails unless the run ends with {@link
   * TrainingCancelledException}.
   */
  static void runUntil(TrainingConfig config, Path checkpoints, DomainData data, int iteration) {
    CancellationToken cancel = new CancellationToken();
    assertThatThrownBy(() -> new DomainAdaptationTrainer(config, checkpoints).fit(data,
        new TrainingListener() {
          @Override
          public void onIteration(Iteration it) {
            if (it.iteration() == iteration) {
              cancel.cancel();
            }
          }
        }, cancel)).isInstanceOf(TrainingCancelledException.class);
  }
}
