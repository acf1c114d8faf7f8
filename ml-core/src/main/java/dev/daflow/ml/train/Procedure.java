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
}
