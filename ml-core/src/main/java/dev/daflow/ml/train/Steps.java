package dev.daflow.ml.train;

import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared inner step of every procedure: forward and backward pass, then the optimiser update.
 * Public for the step-speed benchmark, which times exactly this.
 */
public final class Steps {
  private Steps() {}

  /**
   * Computes the losses and the gradients of {@code params}, updates them with {@code optimizer}
   * and returns the losses by name.
   *
   * @throws ArithmeticException when a loss is not finite; then no parameter has changed
   */
  public static Map<String, Double> descend(SameDiff graph, Map<String, INDArray> placeholders,
      List<String> losses, List<String> params, Optimizer optimizer, double lr, double clipNorm) {
    return descend(graph, placeholders, losses, List.of(new Group(params, optimizer, lr)),
        clipNorm);
  }

  /** Parameters updated by one optimiser at one learning rate. */
  record Group(List<String> params, Optimizer optimizer, double lr) {}

  /**
   * As above, with several parameter groups, each with its own optimiser.
   *
   * @param clipNorm when positive, each group's gradients are scaled by one factor so that their
   *     global L2 norm is at most this (as with one clipping optimiser per group: ADDA's
   *     discriminator and target encoder follow separate losses); 0 leaves them as they are
   */
  static Map<String, Double> descend(SameDiff graph, Map<String, INDArray> placeholders,
      List<String> losses, List<Group> groups, double clipNorm) {
    List<String> params = groups.stream().flatMap(g -> g.params().stream()).toList();
    // The buffers of the previous step, handed to this one.
    StepMemory memory = StepMemory.of(graph);
    // Forward and backward pass in one call: loss values and dLoss/dParam for each parameter.
    // Batch normalisation's batch statistics come out of the same forward pass.
    List<String> statistics = BatchNorm.batchOutputs(graph);
    List<String> outputs = statistics.isEmpty() ? losses
        : java.util.stream.Stream.concat(losses.stream(), statistics.stream()).toList();
    OutAndGrad out = graph.calculateGradientsAndOutputs(placeholders, outputs, params);
    // A non-finite loss stops the step before any parameter is touched: the weights stay those of
    // the last good step.
    Map<String, Double> values = new LinkedHashMap<>();
    for (String l : losses) {
      double v = out.getOutputs().get(l).getDouble(0);
      if (!Double.isFinite(v)) {
        throw new ArithmeticException("loss " + l + " is " + v + ": training diverged");
      }
      values.put(l, v);
    }
    // Update every parameter in place.
    Map<String, INDArray> grads = out.getGradients();
    for (String p : params) {
      if (grads.get(p) == null) {
        throw new IllegalStateException("no gradient for parameter " + p);
      }
    }
    for (Group group : groups) {
      if (clipNorm > 0) {
        clipGlobalNorm(group.params().stream().map(grads::get).toList(), clipNorm);
      }
      for (String p : group.params()) {
        INDArray g = grads.get(p);
        group.optimizer().update(p, graph.getArrForVarName(p), g, group.lr());
      }
      group.optimizer().endStep();
    }
    if (!statistics.isEmpty()) {
      BatchNorm.update(graph, out.getOutputs(), BatchNorm.MOMENTUM);
    }
    // Nothing of this step is read any more: its buffers go to the next step.
    memory.recycle();
    return values;
  }

  /**
   * Scales {@code grads} in place by {@code min(1, maxNorm / norm)}, where {@code norm} is their
   * global L2 norm. A non-finite norm is left for the loss check to report.
   *
   * @return the global norm before scaling
   */
  static double clipGlobalNorm(List<INDArray> grads, double maxNorm) {
    double squares = 0;
    for (INDArray g : grads) {
      double n = g.norm2Number().doubleValue();
      squares += n * n;
    }
    double norm = Math.sqrt(squares);
    if (norm > maxNorm && Double.isFinite(norm)) {
      double scale = maxNorm / norm;
      for (INDArray g : grads) {
        g.muli(scale);
      }
    }
    return norm;
  }

  /** Names of trainable parameters under one scope. */
  static List<String> scope(SameDiff graph, String scope) {
    return Graphs.trainable(graph).stream().filter(n -> n.startsWith(scope + "/")).toList();
  }
}
