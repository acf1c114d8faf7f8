package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.Mcc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MCC: Jin, Wang, Long &amp; Wang (2020), "Minimum Class Confusion for Versatile Domain
 * Adaptation", ECCV. Each step minimises the source cross-entropy plus the class confusion of the
 * target batch's predictions ({@link Mcc#graph}: temperature 2.5, trade-off 1).
 *
 * <p>Recipe (Sec. 4, "mini-batch SGD with momentum 0.9 and the learning rate annealing strategy
 * of DANN"): a labelled source batch and an unlabelled target batch of the config's size per step,
 * SGD with momentum 0.9 (or the tuning's solver), learning rate {@code lr0 / (1 + 10p)^0.75}
 * ({@link DannSchedule#learningRate}). MCC needs no adversary and no schedule on its loss weight.
 */
final class MccProcedure implements Procedure {
  private final SameDiff graph;
  private final Optimizer optimizer;
  private final Phase phase;

  MccProcedure(TrainingConfig c, Architecture arch, DomainData data) {
    if (data.target() == null) {
      throw new IllegalArgumentException("MCC needs target-domain pictures");
    }
    this.graph = Mcc.graph(arch, c.seed());
    this.optimizer = c.optimizer();
    this.phase = new AdaptPhase(c, arch, data);
  }

  @Override
  public List<Phase> phases() {
    return List.of(phase);
  }

  @Override
  public Map<String, SameDiff> graphs() {
    return Map.of("main", graph);
  }

  @Override
  public Map<String, Optimizer> optimizers() {
    return Map.of(OptimizerState.key(optimizer), optimizer);
  }

  @Override
  public void exportTo(SameDiff inference) {
    Graphs.copyModel(graph, inference);
  }

  private final class AdaptPhase extends JointBatchPhase {
    private final INDArray targetMask;
    private final List<String> params;
    private final List<String> losses = List.of(Graphs.LOSS_CLASS, Mcc.LOSS_MCC);

    AdaptPhase(TrainingConfig c, Architecture arch, DomainData data) {
      super(c, arch, data);
      int b = c.batchSize();
      this.targetMask = Nd4j.zeros(DataType.FLOAT, 2 * b, 1);
      for (int i = b; i < 2 * b; i++) {
        targetMask.putScalar(i, 0, 1f);
      }
      this.params = Graphs.trainable(graph);
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      Map<String, INDArray> ph = batch.placeholders();
      double lr = DannSchedule.learningRate(c.learningRate(), s.progress());
      ph.put(Mcc.TARGET_MASK, targetMask);
      Map<String, Double> out = new LinkedHashMap<>(
          Steps.descend(graph, ph, losses, params, optimizer, lr, c.tuning().clipNorm()));
      out.put("lr", lr);
      return out;
    }
  }
}
