package dev.daflow.events;

import java.util.Map;

/**
 * Where a running job is: a sample of its training steps (trainer-service publishes at most about
 * one per second per job, not one per step). Produced on {@link Topics#TRAINING}; for dashboards
 * and progress bars, so a consumer may drop these freely.
 *
 * @param jobId the job (the key)
 * @param epoch 0-based epoch over all phases
 * @param totalEpochs epochs over all phases
 * @param step 0-based step within the epoch
 * @param stepsPerEpoch steps per epoch of the current phase
 * @param iteration 0-based step over the whole run
 * @param phase {@code train}, {@code pretrain} or {@code adapt}
 * @param losses loss values of this step by name, e.g. {@code label}, {@code domain}
 * @param lambda gradient-reversal factor (0 where not used)
 * @param learningRate learning rate of this step
 * @param imagesPerSecond source+target pictures per second over the epoch so far
 */
public record TrainingProgress(String jobId, int epoch, int totalEpochs, int step,
    int stepsPerEpoch, long iteration, String phase, Map<String, Double> losses, double lambda,
    double learningRate, double imagesPerSecond) implements DaflowEvent {

  public TrainingProgress {
    losses = Copies.map(losses);
  }

  @Override
  public String key() {
    return jobId;
  }
}
