package dev.daflow.ml.train;

/** Thrown by a training loop that was cancelled; its last epoch checkpoint remains. */
public final class TrainingCancelledException extends RuntimeException {
  private final int epoch;

  public TrainingCancelledException(int epoch) {
    super("training cancelled during epoch " + epoch);
    this.epoch = epoch;
  }

  /** The epoch that was interrupted. */
  public int epoch() {
    return epoch;
  }
}
