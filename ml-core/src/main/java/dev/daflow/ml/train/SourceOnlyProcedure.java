package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Source-only baseline: the DANN recipe (SGD momentum, annealed learning rate) without the domain
 * classifier, so the comparison isolates the effect of adaptation.
 */
final class SourceOnlyProcedure implements Procedure {
  private final SameDiff graph;
  private final Optimizer optimizer;
  private final Phase phase;
  private final Architecture arch;
  private final DomainData data;
  private final long seed;

  SourceOnlyProcedure(TrainingConfig c, Architecture arch, DomainData data) {
    this.graph = Graphs.supervised(arch, c.seed());
    this.arch = arch;
    this.data = data;
    this.seed = c.seed();
    this.optimizer = c.optimizer();
    this.phase = new SupervisedPhase("train", c.epochs(), arch, graph, data, optimizer,
        p -> DannSchedule.learningRate(c.learningRate(), p), c.batchSize(), c.seed(),
        c.augmentation(), c.tuning().clipNorm());
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
    if (BatchNorm.present(inference)) {
      if (data.target() == null) {
        // Nothing to adapt to: plain batch normalisation with the statistics it trained on.
        BatchNorm.sourceAsTarget(inference);
      } else {
        // No target batch was seen in training: AdaBN estimates the target's statistics.
        AdaBn.estimateTarget(inference, arch, seed, data.target().pictures(),
            data.preprocessing(), BatchNorm.ADABN_PICTURES);
      }
    }
  }
}
