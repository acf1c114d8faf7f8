package dev.daflow.ml.train;

import dev.daflow.contract.Tuning;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Graphs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DANN: Ganin &amp; Lempitsky (2015), "Unsupervised Domain Adaptation by Backpropagation", ICML;
 * Ganin et al. (2016), JMLR 17(59). Each step takes a source and a target batch, minimises the
 * label loss on the source rows and the domain loss on all rows, with the feature extractor
 * receiving the domain gradient reversed and scaled by {@code lambda(p)}; lr anneals as {@code
 * lr0/(1+10p)^0.75}.
 *
 * <p>With {@link Tuning#classWeighting()} it is IWDAN (Tachet des Combes et al. 2020): before each
 * epoch after the first, {@link LabelShift} estimates the target's class proportions from the
 * current model's predictions, and each source row's domain loss is weighted by {@code p_T(y) /
 * p_S(y)}. Unlike the authors, the label loss stays unweighted: a poor early estimate (a weight
 * near 0) then only leaves a class's features unaligned for an epoch, and cannot starve the
 * classifier of that class and so confirm itself in the next estimate.
 */
final class DannProcedure implements Procedure {
  private static final Logger LOG = LoggerFactory.getLogger(DannProcedure.class);
  /** Source and target pictures each {@link LabelShift} estimate looks at, at most. */
  private static final int LABEL_SHIFT_SAMPLE = 10_000;
  private final SameDiff graph;
  private final Optimizer optimizer;
  /** The domain classifier's own optimiser when it learns at another rate; else null. */
  private final Optimizer domainOptimizer;
  private final Phase phase;

  DannProcedure(TrainingConfig c, Architecture arch, DomainData data) {
    if (data.target() == null) {
      throw new IllegalArgumentException("DANN needs target-domain pictures");
    }
    this.graph = Graphs.dann(arch, c.seed());
    this.optimizer = c.optimizer();
    this.domainOptimizer = c.tuning().domainLearningRateScale() == 1 ? null
        : c.optimizer();
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
    String key = OptimizerState.key(optimizer);
    return domainOptimizer == null ? Map.of(key, optimizer)
        : Map.of(key, optimizer, key + OptimizerState.DOMAIN_SUFFIX, domainOptimizer);
  }

  @Override
  public void exportTo(SameDiff inference) {
    Graphs.copyModel(graph, inference);
  }

  private final class AdaptPhase extends JointBatchPhase {
    private final INDArray domains;
    private final List<String> params;
    private final List<String> domainParams;
    private final List<String> featureAndLabelParams;
    private final List<String> losses = List.of(Graphs.LOSS_CLASS, Graphs.LOSS_DOMAIN);
    /** IWDAN's class weights for this epoch; null for plain DANN. */
    private double[] classWeights;

    AdaptPhase(TrainingConfig c, Architecture arch, DomainData data) {
      super(c, arch, data);
      this.domains = BatchBuffers.domains(c.batchSize(), c.batchSize());
      this.params = Graphs.trainable(graph);
      this.domainParams = Steps.scope(graph, Graphs.DOMAIN_CLASSIFIER);
      this.featureAndLabelParams = params.stream().filter(p -> !domainParams.contains(p)).toList();
    }

    @Override
    public void beginEpoch(int phaseEpoch) {
      if (!c.tuning().classWeighting()) {
        return;
      }
      if (phaseEpoch == 0) {
        // An untrained classifier's predictions say nothing about the target's classes yet.
        classWeights = new double[arch.classes()];
        java.util.Arrays.fill(classWeights, 1);
        return;
      }
      // Estimate p_T(y) from the model as it is now (its parameters only: resumes agree).
      SameDiff inference = Graphs.inference(arch, c.seed());
      exportTo(inference);
      LabelShift.Estimate e = LabelShift.estimate(inference, data.source(),
          data.target().pictures(), data.preprocessing(), arch.classes(), LABEL_SHIFT_SAMPLE);
      classWeights = e.weights();
      LOG.info("epoch {}: estimated target class proportions {}, source class weights {}",
          phaseEpoch, rounded(e.targetPrior()), rounded(classWeights));
    }

    private static String rounded(double[] v) {
      return java.util.Arrays.stream(v).mapToObj(x -> String.format(java.util.Locale.ROOT,
          "%.3f", x)).toList().toString();
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      // Schedules of Ganin & Lempitsky (2015), Sec. 5.1.
      double lambda = c.tuning().lambdaMax() * DannSchedule.lambda(s.progress());
      double lr = DannSchedule.learningRate(c.learningRate(), s.progress());
      Map<String, INDArray> ph = batch.placeholders();
      // IWDAN: the domain loss weighs each source row by p_T(y)/p_S(y).
      ph.put(Graphs.DOMAIN, classWeights == null ? domains
          : BatchBuffers.weightedDomains(batch.labels(), classWeights, c.batchSize()));
      ph.put(Graphs.LAMBDA, Nd4j.scalar((float) lambda));
      // Descend on loss_class + loss_domain; the reversal layer flips the encoder's share.
      Map<String, Double> out = new LinkedHashMap<>(
          domainOptimizer == null
              ? Steps.descend(graph, ph, losses, params, optimizer, lr, c.tuning().clipNorm())
              : Steps.descend(graph, ph, losses, List.of(
                  new Steps.Group(featureAndLabelParams, optimizer, lr),
                  new Steps.Group(domainParams, domainOptimizer,
                      lr * c.tuning().domainLearningRateScale())), c.tuning().clipNorm()));
      out.put("lambda", lambda);
      out.put("lr", lr);
      return out;
    }
  }
}
