package dev.daflow.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * evaluator-service measured a checkpoint or a model bundle on the labelled test splits of both
 * domains. Produced on {@link Topics#MODELS}. Target-domain labels are used here for reporting
 * only, never to pick a model (see {@link ModelPromoted#policy()}).
 *
 * @param modelName the model (the key)
 * @param jobId the job that trained it
 * @param artifact {@code checkpoint} or {@code bundle}
 * @param objectKey object-store key of the evaluated checkpoint or bundle
 * @param epoch the 0-based epoch it ends (for a bundle: the last epoch)
 * @param classNames label names, in label order: the order of the confusion matrices
 * @param source results on the source domain's test split
 * @param target results on the target domain's test split
 */
public record ModelEvaluated(String modelName, String jobId, String artifact, String objectKey,
    int epoch, List<String> classNames, Evaluation source, Evaluation target)
    implements DaflowEvent {

  public ModelEvaluated {
    classNames = Copies.list(classNames);
  }

  @Override
  public String key() {
    return modelName;
  }

  /**
   * Results on one test split.
   *
   * @param dataset test split name, e.g. {@code usps/test}
   * @param count pictures evaluated
   * @param accuracy fraction correct
   * @param perClassAccuracy recall per class name ({@code NaN}, written {@code "NaN"}, for a class
   *     with no pictures)
   * @param confusion {@code confusion[true][predicted]} counts, rows and columns in {@code
   *     classNames} order
   */
  public record Evaluation(String dataset, int count, double accuracy,
      Map<String, Double> perClassAccuracy, List<List<Integer>> confusion) {

    public Evaluation {
      perClassAccuracy = Copies.map(perClassAccuracy);
      confusion = confusion == null ? null : confusion.stream().map(List::copyOf).toList();
    }

    /** A confusion matrix as nested lists (records compare arrays by identity, lists by value). */
    public static List<List<Integer>> matrix(int[][] confusion) {
      return Arrays.stream(confusion).map(row -> Arrays.stream(row).boxed().toList()).toList();
    }

    /** The confusion matrix as an array, {@code [true][predicted]}. */
    public int[][] confusionArray() {
      return confusion.stream()
          .map(row -> row.stream().mapToInt(Integer::intValue).toArray())
          .toArray(int[][]::new);
    }
  }
}
