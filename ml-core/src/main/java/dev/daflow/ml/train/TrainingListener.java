package dev.daflow.ml.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Hooks into the training loop for logging, progress bars, metrics and events. Called on the
 * training thread; implementations should be quick.
 */
public interface TrainingListener {

  /** Before the first step (also after a resume: {@code plan.startEpoch() > 0}). */
  default void onStart(Plan plan) {}

  /** After every optimisation step. */
  default void onIteration(Iteration it) {}

  /** After each epoch, once its checkpoint is written. */
  default void onEpochEnd(Epoch epoch) {}

  /**
   * The run's shape.
   *
   * @param config hyperparameters
   * @param startEpoch first epoch this run executes (0, or the epoch after the resumed checkpoint)
   * @param totalEpochs epochs over all phases
   * @param stepsPerEpoch optimisation steps per epoch, per phase name
   */
  record Plan(TrainingConfig config, int startEpoch, int totalEpochs,
      Map<String, Integer> stepsPerEpoch) {}

  /**
   * One optimisation step.
   *
   * @param epoch 0-based epoch over all phases
   * @param step 0-based step within the epoch
   * @param iteration 0-based step over the whole run
   * @param phase phase name ({@code train}, {@code adapt}, {@code pretrain})
   * @param losses loss values of this step by name
   * @param lambda gradient-reversal factor (0 where not used)
   * @param learningRate learning rate of this step
   * @param imagesPerSecond source+target pictures per second over this epoch so far
   */
  record Iteration(int epoch, int step, long iteration, String phase, Map<String, Double> losses,
      double lambda, double learningRate, double imagesPerSecond) {}

  /**
   * One finished epoch.
   *
   * @param meanLosses mean of each loss over the epoch
   * @param seconds wall time of the epoch
   * @param imagesPerSecond source+target training pictures per second
   * @param checkpoint the checkpoint written, or null when checkpoints are off
   * @param inference copies the weights as they are after this epoch into a new inference graph
   *     (the encoder and classifier only; after an epoch of a source pre-training phase, those of
   *     the source network it trains); call it on the training thread, during {@link
   *     #onEpochEnd}, and only when needed
   */
  record Epoch(int epoch, String phase, Map<String, Double> meanLosses, double seconds,
      double imagesPerSecond, Path checkpoint, Supplier<SameDiff> inference) {}

  /** Calls each listener in turn. */
  static TrainingListener all(TrainingListener... listeners) {
    return new TrainingListener() {
      @Override
      public void onStart(Plan plan) {
        for (TrainingListener l : listeners) {
          l.onStart(plan);
        }
      }

      @Override
      public void onIteration(Iteration it) {
        for (TrainingListener l : listeners) {
          l.onIteration(it);
        }
      }

      @Override
      public void onEpochEnd(Epoch epoch) {
        for (TrainingListener l : listeners) {
          l.onEpochEnd(epoch);
        }
      }
    };
  }
}
