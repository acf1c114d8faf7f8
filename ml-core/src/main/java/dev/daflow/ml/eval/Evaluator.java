package dev.daflow.ml.eval;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.model.Model;

/** Evaluates a {@link Model} on a labelled test set. Target labels are used here only. */
public final class Evaluator {
  private Evaluator() {}

  public static EvaluationReport evaluate(Model model, ImageDataset testSet) {
    int[] predicted = model.predict(testSet);
    return EvaluationReport.of(testSet.name(), model.classNames(), testSet.labels(), predicted);
  }
}
