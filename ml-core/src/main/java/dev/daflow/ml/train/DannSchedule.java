package dev.daflow.ml.train;

/**
 * The schedules of Ganin &amp; Lempitsky (2015), Sec. 5.1, as functions of training progress
 * {@code p} in [0, 1].
 */
public final class DannSchedule {
  private DannSchedule() {}

  /** {@code lr0 / (1 + 10 p)^0.75}. */
  public static double learningRate(double lr0, double p) {
    return lr0 / Math.pow(1 + 10 * p, 0.75);
  }

  /** Adaptation factor {@code 2 / (1 + exp(-10 p)) - 1}, rising from 0 to almost 1. */
  public static double lambda(double p) {
    return 2 / (1 + Math.exp(-10 * p)) - 1;
  }
}
