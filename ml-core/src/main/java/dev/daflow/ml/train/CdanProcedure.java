package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Cdan;
import dev.daflow.ml.nn.Graphs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CDAN and CDAN+E: Long, Cao, Wang &amp; Jordan (2018), "Conditional Adversarial Domain
 * Adaptation", NeurIPS. The graph is {@link Cdan#graph}: DANN's, with the discriminator reading
 * the (randomized) multilinear map of features and predictions, and for CDAN+E entropy-weighted
 * examples.
 *
 * <p>Recipe (Sec. 4, "we adopt the same ... as DANN"): each step a labelled source batch and an
 * unlabelled target batch of the config's size; SGD with momentum 0.9 (or the tuning's solver),
 * learning rate {@code lr0 / (1 + 10p)^0.75} with {@code lr0 = 0.01}, and the adaptation factor
 * {@code lambda(p) = 2 / (1 + exp(-10p)) - 1} (times the tuning's {@code lambdaMax}) on the
 * reversed gradient: {@link DannSchedule}. Everything of a step is a function of the seed and the
 * iteration, so a resumed run ends exactly as an uninterrupted one.
 */
final class CdanProcedure implements Procedure {
  private final SameDiff graph;
  private final Optimizer optimizer;
  private final Phase phase;

  /**
   * @param entropyConditioning true for CDAN+E
   */
  CdanProcedure(TrainingConfig c, Architecture arch, DomainData data,
      boolean entropyConditioning) {
    if (data.target() == null) {
      throw new IllegalArgumentException(c.method().id() + " needs target-domain pictures");
    }
    this.graph = Cdan.graph(arch, c.seed(), entropyConditioning);
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
    private final INDArray domains;
    private final List<String> params;
    private final List<String> losses = List.of(Graphs.LOSS_CLASS, Graphs.LOSS_DOMAIN);

    AdaptPhase(TrainingConfig c, Architecture arch, DomainData data) {
      super(c, arch, data);
      this.domains = BatchBuffers.domains(c.batchSize(), c.batchSize());
      this.params = Graphs.trainable(graph);
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      Map<String, INDArray> ph = batch.placeholders();
      double lambda = c.tuning().lambdaMax() * DannSchedule.lambda(s.progress());
      double lr = DannSchedule.learningRate(c.learningRate(), s.progress());
      ph.put(Graphs.DOMAIN, domains);
      ph.put(Graphs.LAMBDA, Nd4j.scalar((float) lambda));
      Map<String, Double> out = new LinkedHashMap<>(
          Steps.descend(graph, ph, losses, params, optimizer, lr, c.tuning().clipNorm()));
      out.put("lambda", lambda);
      out.put("lr", lr);
      return out;
    }
  }
}
