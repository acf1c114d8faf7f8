package dev.daflow.trainer.service;

import dev.daflow.ml.train.TrainingListener;
import java.util.Map;

/**
 * Where a job running on this replica is, updated by its training thread after every step and
 * read by REST and the metrics: the latest values only.
 */
public final class LiveProgress {
  private volatile Snapshot snapshot = new Snapshot(0, 0, 0, 0, 0, 0, null, Map.of(), 0, 0, 0);

  /**
   * @param epochsDone epochs finished (their checkpoints announced), resumed ones included
   * @param totalEpochs epochs over all phases
   * @param epoch the 0-based epoch in progress
   * @param step the last step in that epoch
   * @param stepsPerEpoch steps per epoch of the phase
   * @param iteration the last step over the run
   * @param phase the phase in progress, {@code null} before the first step
   * @param losses the last step's losses
   * @param lambda the last step's gradient-reversal factor
   * @param learningRate the last step's learning rate
   * @param imagesPerSecond source+target pictures per second over the epoch so far
   */
  public record Snapshot(int epochsDone, int totalEpochs, int epoch, int step,
      int stepsPerEpoch, long iteration, String phase, Map<String, Double> losses, double lambda,
      double learningRate, double imagesPerSecond) {}

  public Snapshot snapshot() {
    return snapshot;
  }

  void started(int startEpoch, int totalEpochs) {
    Snapshot s = snapshot;
    snapshot = new Snapshot(startEpoch, totalEpochs, startEpoch, 0, s.stepsPerEpoch(),
        s.iteration(), s.phase(), s.losses(), s.lambda(), s.learningRate(), 0);
  }

  void iteration(TrainingListener.Iteration it, int stepsPerEpoch) {
    Snapshot s = snapshot;
    snapshot = new Snapshot(s.epochsDone(), s.totalEpochs(), it.epoch(), it.step(), stepsPerEpoch,
        it.iteration(), it.phase(), Map.copyOf(it.losses()), it.lambda(), it.learningRate(),
        it.imagesPerSecond());
  }

  void epochDone(int epoch) {
    Snapshot s = snapshot;
    snapshot = new Snapshot(epoch + 1, s.totalEpochs(), s.epoch(), s.step(), s.stepsPerEpoch(),
        s.iteration(), s.phase(), s.losses(), s.lambda(), s.learningRate(),
        s.imagesPerSecond());
  }

  double loss(String name) {
    return snapshot.losses().getOrDefault(name, Double.NaN);
  }
}
