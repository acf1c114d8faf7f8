package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ADDA: Tzeng, Hoffman, Saenko &amp; Darrell (2017), "Adversarial Discriminative Domain
 * Adaptation", CVPR. Two phases:
 *
 * <ol>
 *   <li><b>pretrain</b>: source encoder {@code M_s} and classifier {@code C} on labelled source
 *       pictures (Adam);
 *   <li><b>adapt</b>: the target encoder {@code M_t} starts as a copy of {@code M_s}; each step
 *       updates the discriminator {@code D} to tell {@code M_s(x_s)} from {@code M_t(x_t)} and
 *       {@code M_t} with the inverted-label GAN loss to fool it. {@code M_s} and {@code C} stay
 *       fixed; the final model is {@code C(M_t(x))}.
 * </ol>
 */
final class AddaProcedure implements Procedure {
  private final SameDiff pretrainGraph;
  private final SameDiff adaptGraph;
  private final Optimizer pretrainOptimizer;
  private final Optimizer discriminatorOptimizer;
  private final Optimizer encoderOptimizer;
  private final List<Phase> phases;

  AddaProcedure(TrainingConfig c, Architecture arch, DomainData data) {
    if (data.target() == null) {
      throw new IllegalArgumentException("ADDA needs target-domain pictures");
    }
    this.pretrainGraph = Graphs.supervised(arch, c.seed());
    this.adaptGraph = Graphs.addaAdversarial(arch, c.seed() + 1);
    this.pretrainOptimizer = new Adam(0.9, 0.999, 1e-8, c.weightDecay());
    this.discriminatorOptimizer = new Adam(c.momentum(), 0.999, 1e-8, c.weightDecay());
    this.encoderOptimizer = new Adam(c.momentum(), 0.999, 1e-8, c.weightDecay());
    Phase pretrain = new SupervisedPhase("pretrain", c.pretrainEpochs(), arch, pretrainGraph, data,
        pretrainOptimizer, p -> c.pretrainLearningRate(), c.batchSize(), c.seed(), c.augmentation(),
        c.tuning().clipNorm());
    this.phases = List.of(pretrain, new AdaptPhase(c, data, arch));
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
    return Map.of("pretrain", pretrainOptimizer, "discriminator", discriminatorOptimizer,
        "encoder", encoderOptimizer);
  }

  @Override
  public void exportAfter(Phase phase, SameDiff inference) {
    if (phase != phases.get(0)) {
      exportTo(inference);
      return;
    }
    // C(M_s(x)): before adaptation, the source encoder and the classifier being pretrained. The adaptation graph's encoder is not
    // initialised from it until the adaptation begins.
    Graphs.copyScope(pretrainGraph, Graphs.ENCODER, inference, Graphs.ENCODER);
    Graphs.copyScope(pretrainGraph, Graphs.CLASSIFIER, inference, Graphs.CLASSIFIER);
    // A source-trained network normalises with the source's statistics (batch normalisation).
    BatchNorm.sourceAsTarget(inference);
  }

  @Override
  public void exportTo(SameDiff inference) {
    // C(M_t(x)): the adapted target encoder with the classifier trained on the source.
    Graphs.copyScope(adaptGraph, Graphs.ENCODER, inference, Graphs.ENCODER);
    Graphs.copyScope(pretrainGraph, Graphs.CLASSIFIER, inference, Graphs.CLASSIFIER);
  }

  private final class AdaptPhase implements Phase {
    private final TrainingConfig c;
    private final DomainData data;
    /** By slot ({@link Phase#prepare}): the source batch's and the target batch's buffers. */
    private final BatchBuffers[] sourceBuffers;
    private final BatchBuffers[] targetBuffers;
    private final INDArray sourceDomain;
    private final INDArray targetDomain;
    private final List<String> discriminator;
    private final List<String> encoder;
    private final List<String> losses = List.of(Graphs.LOSS_DISCRIMINATOR, Graphs.LOSS_MAPPING);

    AdaptPhase(TrainingConfig c, DomainData data, Architecture arch) {
      this.c = c;
      this.data = data;
      this.sourceBuffers = BatchBuffers.pair(data.preprocessing(), c.batchSize(), arch.classes());
      this.targetBuffers = BatchBuffers.pair(data.preprocessing(), c.batchSize(), arch.classes());
      this.sourceDomain = BatchBuffers.domains(c.batchSize(), 0);
      this.targetDomain = BatchBuffers.domains(0, c.batchSize());
      this.discriminator = Steps.scope(adaptGraph, Graphs.DOMAIN_CLASSIFIER);
      this.encoder = Steps.scope(adaptGraph, Graphs.ENCODER);
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
    public void begin() {
      // M_s is the pretrained encoder, frozen; M_t starts as a copy of it.
      Graphs.copyScope(pretrainGraph, Graphs.ENCODER, adaptGraph, Graphs.SOURCE_ENCODER);
      Graphs.copyScope(pretrainGraph, Graphs.ENCODER, adaptGraph, Graphs.ENCODER);
      // M_t's target batch-normalisation statistics start from the source's.
      BatchNorm.sourceAsTarget(adaptGraph);
      syncDiscriminatorCopy();
    }

    @Override
    public Batch prepare(Step s, int slot) {
      int b = c.batchSize();
      BatchBuffers sourceBuffers = this.sourceBuffers[slot];
      BatchBuffers targetBuffers = this.targetBuffers[slot];
      // A source batch (its labels are not used here) and a target batch.
      int[] labels = sourceBuffers.sample(s.source(), data.source(), b, 0);
      sourceBuffers.augment(c.augmentation(), 0, b, c.seed(), s.iteration());
      targetBuffers.sample(s.target(), data.target().pictures(), b, 0);
      Map<String, INDArray> ph = new HashMap<>();
      ph.put(Graphs.X_SOURCE, sourceBuffers.pictures(b));
      ph.put(Graphs.X_TARGET, targetBuffers.pictures(b));
      return new Batch(labels, ph);
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      Map<String, INDArray> ph = batch.placeholders();
      ph.put("domain_source", sourceDomain);
      ph.put("domain_target", targetDomain);
      ph.put("domain_inverted", sourceDomain); // target features labelled "source"
      // D descends on the discriminator loss, M_t on the inverted-label mapping loss.
      double lr = c.learningRate();
      Map<String, Double> out = new LinkedHashMap<>(Steps.descend(adaptGraph, ph, losses, List.of(
          new Steps.Group(discriminator, discriminatorOptimizer, lr),
          new Steps.Group(encoder, encoderOptimizer, lr)), c.tuning().clipNorm()));
      // The mapping loss reads D through a frozen copy: refresh it.
      syncDiscriminatorCopy();
      out.put("lr", lr);
      return out;
    }

    private void syncDiscriminatorCopy() {
      Graphs.copyScope(adaptGraph, Graphs.DOMAIN_CLASSIFIER, adaptGraph, Graphs.DOMAIN_COPY);
    }
  }
}
