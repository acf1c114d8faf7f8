package dev.daflow.ml.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Accuracy, per-class accuracy and confusion matrix of a classifier on one labelled test set.
 *
 * @param dataset test set name
 * @param count pictures evaluated
 * @param accuracy fraction correct
 * @param classNames label names
 * @param perClassAccuracy recall per true class (NaN for a class with no pictures)
 * @param confusion {@code confusion[true][predicted]} counts
 */
public record EvaluationReport(String dataset, int count, double accuracy, List<String> classNames,
    double[] perClassAccuracy, int[][] confusion) {

  /** Builds the report from true and predicted labels. */
  public static EvaluationReport of(String dataset, List<String> classNames, int[] truth,
      int[] predicted) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException(truth.length + " labels but " + predicted.length
          + " predictions");
    }
    int k = classNames.size();
    int[][] confusion = new int[k][k];
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      confusion[truth[i]][predicted[i]]++;
      if (truth[i] == predicted[i]) {
        correct++;
      }
    }
    double[] perClass = new double[k];
    for (int c = 0; c < k; c++) {
      int total = Arrays.stream(confusion[c]).sum();
      perClass[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }
    double accuracy = truth.length == 0 ? Double.NaN : (double) correct / truth.length;
    return new EvaluationReport(dataset, truth.length, accuracy, classNames, perClass, confusion);
  }

  /** A plain-text table of the confusion matrix. */
  public String confusionTable() {
    StringBuilder sb = new StringBuilder("true\\pred");
    for (String c : classNames) {
      sb.append(String.format("%6s", c));
    }
    sb.append(String.format("%8s%n", "acc"));
    for (int t = 0; t < confusion.length; t++) {
      sb.append(String.format("%9s", classNames.get(t)));
      for (int p : confusion[t]) {
        sb.append(String.format("%6d", p));
      }
      sb.append(String.format("%8.3f%n", perClassAccuracy[t]));
    }
    return sb.toString();
  }
}
