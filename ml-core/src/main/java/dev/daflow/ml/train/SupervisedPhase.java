package dev.daflow.ml.train;

import dev.daflow.contract.Augmentation;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Graphs;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Supervised training on labelled source batches: the source-only method and ADDA's pretraining. */
final class SupervisedPhase implements Phase {
  private final String name;
  private final int epochs;
  private final Architecture arch;
  private final SameDiff graph;
  private final DomainData data;
  private final Optimizer optimizer;
  private final DoubleUnaryOperator learningRate;
  private final int batch;
  private final long seed;
  private final Augmentation augmentation;
  private final double clipNorm;
  private final BatchBuffers[] buffers;
  private final List<String> params;

  SupervisedPhase(String name, int epochs, Architecture arch, SameDiff graph, DomainData data,
      Optimizer optimizer, DoubleUnaryOperator learningRate, int batch, long seed,
      Augmentation augmentation, double clipNorm) {
    this.name = name;
    this.epochs = epochs;
    this.arch = arch;
    this.graph = graph;
    this.data = data;
    this.optimizer = optimizer;
    this.learningRate = learningRate;
    this.batch = batch;
    this.seed = seed;
    this.augmentation = augmentation;
    this.clipNorm = clipNorm;
    this.buffers = BatchBuffers.pair(data.preprocessing(), batch, arch.classes());
    this.params = Graphs.trainable(graph);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int epochs() {
    return epochs;
  }

  @Override
  public int stepsPerEpoch() {
    return (data.source().count() + batch - 1) / batch;
  }

  @Override
  public int picturesPerStep() {
    return batch;
  }

  @Override
  public Batch prepare(Step s, int slot) {
    BatchBuffers buffers = this.buffers[slot];
    // Sample a labelled source batch.
    int[] labels = buffers.sample(s.source(), data.source(), batch, 0);
    buffers.augment(augmentation, 0, batch, seed, s.iteration());
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, buffers.pictures(batch));
    ph.put(Graphs.Y, buffers.oneHot(labels, batch));
    buffers.dropoutMasks(arch, ph, batch, seed, s.iteration());
    return new Batch(labels, ph);
  }

  @Override
  public Map<String, Double> step(Step s, Batch inputs) {
    Map<String, INDArray> ph = inputs.placeholders();
    // One SGD step on the mean cross-entropy.
    double lr = learningRate.applyAsDouble(s.progress());
    Map<String, Double> out = new LinkedHashMap<>(
        Steps.descend(graph, ph, List.of(Graphs.LOSS), params, optimizer, lr, clipNorm));
    out.put("lr", lr);
    return out;
  }
}
