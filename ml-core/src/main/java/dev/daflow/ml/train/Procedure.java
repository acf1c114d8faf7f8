package dev.daflow.ml.train;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;

/** What a method trains: its graphs, optimisers and phases; the loop is shared. */
interface Procedure {

  List<Phase> phases();

  /** Graphs whose parameters make up the training state, by a stable key. */
  Map<String, SameDiff> graphs();

  /** Optimisers whose state makes up the training state, by a stable key. */
  Map<String, Optimizer> optimizers();

  /** Copies the trained encoder and classifier into an inference graph. */
  void exportTo(SameDiff inference);

  /**
   * Copies the model as it stands after an epoch of {@code phase} into an inference graph: the
   * trained encoder and classifier ({@link #exportTo}), except where a phase trains another
   * network than the one exported at the end. ADDA's and SHOT-IM's source pre-training trains the
   * source network, whose copy the adaptation only starts from: after an epoch of it, the model
   * is that source network, the source-only model the adaptation starts from.
   */
  default void exportAfter(Phase phase, SameDiff inference) {
    exportTo(inference);
  }
}
