package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Graphs;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DANN: Ganin &amp; Lempitsky (2015), "Unsupervised Domain Adaptation by Backpropagation", ICML;
 * Ganin et al. (2016), JMLR 17(59). Each step takes a source and a target batch, minimises the
 * label loss on the source rows and the domain loss on all rows, with the feature extractor
 * receiving the domain gradient reversed and scaled by {@code lambda(p)}; lr anneals as {@code
 * lr0/(1+10p)^0.75}.
 */
final class DannProcedure implements Procedure {
  private final SameDiff graph;
  private final Optimizer optimizer;
  private final Phase phase;

  DannProcedure(TrainingConfig c, Architecture arch, DomainData data) {
    if (data.target() == null) {
      throw new IllegalArgumentException("DANN needs target-domain pictures");
    }
    this.graph = Graphs.dann(arch, c.seed());
    this.optimizer = c.tuning().optimizer(c);
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
    return Map.of("sgd", optimizer);
  }

  @Override
  public void exportTo(SameDiff inference) {
    Graphs.copyScope(graph, Graphs.ENCODER, inference, Graphs.ENCODER);
    Graphs.copyScope(graph, Graphs.CLASSIFIER, inference, Graphs.CLASSIFIER);
  }

  private final class AdaptPhase implements Phase {
    private final TrainingConfig c;
    private final Architecture arch;
    private final DomainData data;
    private final BatchBuffers buffers;
    private final INDArray domains;
    private final List<String> params;
    private final List<String> losses = List.of(Graphs.LOSS_CLASS, Graphs.LOSS_DOMAIN);

    AdaptPhase(TrainingConfig c, Architecture arch, DomainData data) {
      this.c = c;
      this.arch = arch;
      this.data = data;
      this.buffers = new BatchBuffers(data.preprocessing(), 2 * c.batchSize(), arch.classes());
      this.domains = BatchBuffers.domains(c.batchSize(), c.batchSize());
      this.params = Graphs.trainable(graph);
    }

    @Override
    public String name() {
      return "adapt";
    }

    @Override
    public int epochs() {
      return c.epochs();
    }

    @Override
    public int stepsPerEpoch() {
      int larger = Math.max(data.source().count(), data.target().count());
      return (larger + c.batchSize() - 1) / c.batchSize();
    }

    @Override
    public int picturesPerStep() {
      return 2 * c.batchSize();
    }

    @Override
    public Map<String, Double> step(Step s) {
      int b = c.batchSize();
      // Rows 0..b-1: a labelled source batch; rows b..2b-1: an unlabelled target batch.
      int[] labels = buffers.sample(s.source(), data.source(), b, 0);
      buffers.augment(c.augmentation(), 0, b, c.seed(), s.iteration());
      buffers.sample(s.target(), data.target().pictures(), b, b);
      // Schedules of Ganin & Lempitsky (2015), Sec. 5.1.
      double lambda = c.tuning().lambdaMax() * DannSchedule.lambda(s.progress());
      double lr = DannSchedule.learningRate(c.learningRate(), s.progress());
      Map<String, INDArray> ph = new HashMap<>();
      ph.put(Graphs.X, buffers.pictures(2 * b));
      ph.put(Graphs.Y, buffers.oneHot(labels, 2 * b)); // target rows stay all-zero: no label loss
      ph.put(Graphs.DOMAIN, domains);
      ph.put(Graphs.LAMBDA, Nd4j.scalar((float) lambda));
      BatchBuffers.dropoutMasks(arch, ph, 2 * b, c.seed(), s.iteration());
      // Descend on loss_class + loss_domain; the reversal layer flips the encoder's share.
      Map<String, Double> out = new LinkedHashMap<>(
          Steps.descend(graph, ph, losses, params, optimizer, lr, c.tuning().clipNorm()));
      out.put("lambda", lambda);
      out.put("lr", lr);
      return out;
    }
  }
}
