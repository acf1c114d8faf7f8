package dev.daflow.ml.train;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.Shot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SHOT-IM, source-free adaptation: Liang, Hu &amp; Feng (2020), "Do We Really Need to Access the
 * Source Data? Source Hypothesis Transfer for Unsupervised Domain Adaptation", ICML. Two phases:
 *
 * <ol>
 *   <li><b>pretrain</b> (the source model, Sec. 3.1): encoder and classifier on labelled source
 *       pictures with label-smoothed cross-entropy ({@code epsilon = 0.1});
 *   <li><b>adapt</b> (Sec. 3.2): the classifier head is frozen (the "source hypothesis"); the
 *       encoder, initialised from the source model's, learns from target pictures only, by
 *       information maximisation ({@link Shot#informationMaximisation}). No source picture is read
 *       in this phase.
 * </ol>
 *
 * <p>Recipe of the authors' digit code ({@code uda_digit.py}): SGD with momentum 0.9 and weight
 * decay 1e-3 in both phases, learning rate {@code lr0 / (1 + 10p)^0.75} with {@code lr0 = 0.01}
 * (the config's {@code pretrainLearningRate} and {@code learningRate}). Departures: plain rather
 * than Nesterov momentum, and the platform's networks, without SHOT's batch-normalised bottleneck
 * and weight-normalised head; the default epochs and batch size are the platform's (the authors
 * train 30 epochs of batch 64 in each phase). Without pseudo-labels this is SHOT-IM, the paper's
 * ablation; with them full SHOT (Sec. 3.3): before each adaptation epoch every target picture is
 * labelled by the nearest class centroid of the current features ({@link Shot#pseudoLabels}), and
 * {@code 0.1} times the cross-entropy against those labels joins the loss.
 */
final class ShotProcedure implements Procedure {
  /** Label smoothing of the source phase (the authors' {@code --smooth 0.1}). */
  static final double LABEL_SMOOTHING = 0.1;
  private final SameDiff pretrainGraph;
  private final SameDiff adaptGraph;
  private final Optimizer pretrainOptimizer;
  private final Optimizer adaptOptimizer;
  private final List<Phase> phases;
  private final boolean pseudoLabels;

  /**
   * @param pseudoLabels true for full SHOT (information maximisation and self-supervised
   *     pseudo-labels), false for SHOT-IM
   */
  ShotProcedure(TrainingConfig c, Architecture arch, DomainData data, boolean pseudoLabels) {
    if (data.target() == null) {
      throw new IllegalArgumentException(c.method().id() + " needs target-domain pictures");
    }
    this.pretrainGraph = Graphs.supervised(arch, c.seed());
    this.adaptGraph = Shot.adaptation(arch, c.seed(), pseudoLabels);
    this.pseudoLabels = pseudoLabels;
    this.pretrainOptimizer = new SgdMomentum(c.momentum(), c.weightDecay());
    this.adaptOptimizer = new SgdMomentum(c.momentum(), c.weightDecay());
    this.phases = List.of(new SourcePhase(c, arch, data), new AdaptPhase(c, arch, data));
  }

  @Override
  public List<Phase> phases() {
    return phases;
  }

  @Override
  public Map<String, SameDiff> graphs() {
    return Map.of("pretrain", pretrainGraph, "adapt", adaptGraph);
  }

  @Override
  public Map<String, Optimizer> optimizers() {
    return Map.of("pretrain", pretrainOptimizer, "adapt", adaptOptimizer);
  }

  @Override
  public void exportAfter(Phase phase, SameDiff inference) {
    if (phase != phases.get(0)) {
      exportTo(inference);
      return;
    }
    // Before adaptation: the source model, encoder and hypothesis, being trained. The adaptation graph's encoder is not
    // initialised from it until the adaptation begins.
    Graphs.copyScope(pretrainGraph, Graphs.ENCODER, inference, Graphs.ENCODER);
    Graphs.copyScope(pretrainGraph, Graphs.CLASSIFIER, inference, Graphs.CLASSIFIER);
    // A source-trained network normalises with the source's statistics (batch normalisation).
    BatchNorm.sourceAsTarget(inference);
  }

  @Override
  public void exportTo(SameDiff inference) {
    // The adapted encoder with the source hypothesis, which the adaptation never changed.
    Graphs.copyScope(adaptGraph, Graphs.ENCODER, inference, Graphs.ENCODER);
    Graphs.copyScope(pretrainGraph, Graphs.CLASSIFIER, inference, Graphs.CLASSIFIER);
  }

  /** Supervised source training with label-smoothed cross-entropy. */
  private final class SourcePhase implements Phase {
    private final TrainingConfig c;
    private final Architecture arch;
    private final DomainData data;
    private final BatchBuffers[] buffers;
    private final List<String> params;

    SourcePhase(TrainingConfig c, Architecture arch, DomainData data) {
      this.c = c;
      this.arch = arch;
      this.data = data;
      this.buffers = BatchBuffers.pair(data.preprocessing(), c.batchSize(), arch.classes());
      this.params = Graphs.trainable(pretrainGraph);
    }

    @Override
    public String name() {
      return "pretrain";
    }

    @Override
    public int epochs() {
      return c.pretrainEpochs();
    }

    @Override
    public int stepsPerEpoch() {
      return (data.source().count() + c.batchSize() - 1) / c.batchSize();
    }

    @Override
    public int picturesPerStep() {
      return c.batchSize();
    }

    @Override
    public Batch prepare(Step s, int slot) {
      int b = c.batchSize();
      BatchBuffers buffers = this.buffers[slot];
      int[] labels = buffers.sample(s.source(), data.source(), b, 0);
      buffers.augment(c.augmentation(), 0, b, c.seed(), s.iteration());
      Map<String, INDArray> ph = new HashMap<>();
      ph.put(Graphs.X, buffers.pictures(b));
      // (1 - eps) * one-hot + eps / K: each row still sums to 1, so the graph's mean
      // cross-entropy is the label-smoothed one.
      ph.put(Graphs.Y, buffers.oneHot(labels, b).muli(1 - LABEL_SMOOTHING)
          .addi(LABEL_SMOOTHING / arch.classes()));
      buffers.dropoutMasks(arch, ph, b, c.seed(), s.iteration());
      return new Batch(labels, ph);
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      Map<String, INDArray> ph = batch.placeholders();
      double lr = DannSchedule.learningRate(c.pretrainLearningRate(), s.progress());
      Map<String, Double> out = new LinkedHashMap<>(Steps.descend(pretrainGraph, ph,
          List.of(Graphs.LOSS), params, pretrainOptimizer, lr, c.tuning().clipNorm()));
      out.put("lr", lr);
      return out;
    }
  }

  /**
   * Information maximisation on target batches, the classifier frozen; for full SHOT also the
   * cross-entropy against this epoch's pseudo-labels.
   */
  private final class AdaptPhase implements Phase {
    /** Pictures per forward pass when labelling the target. */
    private static final int LABEL_BATCH = 256;
    private final TrainingConfig c;
    private final Architecture arch;
    private final DomainData data;
    private final BatchBuffers[] buffers;
    private final List<String> encoder;
    /** The placeholders this graph takes, decided here: the prefetch thread never reads it. */
    private final java.util.Set<String> inputs;
    /** The target's pictures with this epoch's pseudo-labels as labels; null for SHOT-IM. */
    private ImageDataset labelled;

    AdaptPhase(TrainingConfig c, Architecture arch, DomainData data) {
      this.c = c;
      this.arch = arch;
      this.data = data;
      this.buffers = BatchBuffers.pair(data.preprocessing(), c.batchSize(), arch.classes());
      // The adaptation graph's only trainable parameters: its classifier is made of constants.
      this.encoder = Graphs.trainable(adaptGraph);
      this.inputs = new java.util.HashSet<>(List.of(Graphs.X, Shot.PSEUDO_LABELS));
      inputs.addAll(arch.dropoutMasks(Graphs.ENCODER, Graphs.CLASSIFIER).keySet());
      inputs.removeIf(k -> !adaptGraph.hasVariable(k));
      if (encoder.stream().anyMatch(p -> !p.startsWith(Graphs.ENCODER + "/"))) {
        throw new IllegalStateException("SHOT-IM adapts the encoder only, got " + encoder);
      }
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
      return (data.target().count() + c.batchSize() - 1) / c.batchSize();
    }

    @Override
    public int picturesPerStep() {
      return c.batchSize();
    }

    @Override
    public void begin() {
      // The source model, encoder and (frozen) hypothesis, is where adaptation starts.
      Graphs.copyModel(pretrainGraph, adaptGraph);
      // The target's batch-normalisation statistics start from the source's, as the authors'
      // one set of statistics does.
      BatchNorm.sourceAsTarget(adaptGraph);
    }

    @Override
    public void beginEpoch(int phaseEpoch) {
      if (!pseudoLabels) {
        return;
      }
      // Label every target picture from the model as it is now (its parameters only: resumes
      // agree): nearest class centroid of the features (Liang et al. 2020, Sec. 3.3).
      SameDiff model = Graphs.inference(arch, c.seed());
      exportTo(model);
      ImageDataset target = data.target().pictures();
      int n = target.count();
      float[][] features = new float[n][];
      float[][] probs = new float[n][];
      var shape = data.preprocessing().input();
      int[] idx = new int[LABEL_BATCH];
      float[] buf = new float[LABEL_BATCH * shape.size()];
      for (int from = 0; from < n; from += LABEL_BATCH) {
        int m = Math.min(LABEL_BATCH, n - from);
        for (int i = 0; i < m; i++) {
          idx[i] = from + i;
        }
        data.preprocessing().fill(target, idx, 0, m, buf, 0);
        INDArray x = Nd4j.create(java.util.Arrays.copyOf(buf, m * shape.size()),
            new long[] {m, shape.channels(), shape.height(), shape.width()}, 'c');
        Map<String, INDArray> o = model.output(Map.of(Graphs.X, x), Graphs.FEATURES,
            Graphs.PROBS);
        System.arraycopy(o.get(Graphs.FEATURES).toFloatMatrix(), 0, features, from, m);
        System.arraycopy(o.get(Graphs.PROBS).toFloatMatrix(), 0, probs, from, m);
      }
      int[] labels = Shot.pseudoLabels(features, probs);
      labelled = new ImageDataset(target.name(), target.pixels(), labels, n, target.height(),
          target.width(), target.channels(), data.source().classNames());
    }

    @Override
    public Batch prepare(Step s, int slot) {
      int b = c.batchSize();
      BatchBuffers buffers = this.buffers[slot];
      int[] pseudo = buffers.sample(s.target(), labelled != null ? labelled
          : data.target().pictures(), b, 0);
      Map<String, INDArray> ph = new HashMap<>();
      ph.put(Graphs.X, buffers.pictures(b));
      if (labelled != null) {
        ph.put(Shot.PSEUDO_LABELS, buffers.oneHot(pseudo, b));
      }
      buffers.dropoutMasks(arch, ph, b, c.seed(), s.iteration());
      // The head runs without dropout: only the encoder's masks are inputs of this graph.
      ph.keySet().retainAll(inputs);
      return new Batch(pseudo, ph);
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      Map<String, INDArray> ph = batch.placeholders();
      double lr = DannSchedule.learningRate(c.learningRate(), s.progress());
      List<String> losses = labelled != null ? List.of(Shot.LOSS_IM, Shot.LOSS_PSEUDO_LABEL)
          : List.of(Shot.LOSS_IM);
      Map<String, Double> out = new LinkedHashMap<>(Steps.descend(adaptGraph, ph, losses,
          encoder, adaptOptimizer, lr, c.tuning().clipNorm()));
      out.put("lr", lr);
      return out;
    }
  }
}
