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
 * @param validators label-free measures of the model, by name (docs/evaluation.md): on
 *     unlabelled target training pictures ({@code entropy}, {@code im}, {@code bnm}, {@code
 *     snd}, {@code class_ami}, the collapse measures {@code largest_class_share}, {@code
 *     mean_prediction_entropy}, {@code collapsed}) and on the source pictures the job held out
 *     of training ({@code source_val_accuracy}, {@code dev}); what promotion policies may choose by. {@code
 *     null} in events from before the field, and when none could be computed
 */
public record ModelEvaluated(String modelName, String jobId, String artifact, String objectKey,
    int epoch, List<String> classNames, Evaluation source, Evaluation target,
    @Nullable Map<String, Double> validators) implements DaflowEvent {

  public ModelEvaluated {
    classNames = Copies.list(classNames);
    validators = Copies.map(validators);
  }

  /** An evaluation without label-free validators. */
  public ModelEvaluated(String modelName, String jobId, String artifact, String objectKey,
      int epoch, List<String> classNames, Evaluation source, Evaluation target) {
    this(modelName, jobId, artifact, objectKey, epoch, classNames, source, target, null);
  }

  /** The validators, empty when there are none. */
  public Map<String, Double> validatorsOrEmpty() {
    return validators == null ? Map.of() : validators;
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
