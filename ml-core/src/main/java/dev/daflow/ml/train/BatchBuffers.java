package dev.daflow.ml.train;

import dev.daflow.contract.Augmentation;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.nn.Architecture;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reusable host buffers that turn sampled indices into network inputs, and the input arrays of
 * the graph, written in place every step: a step allocates no new off-heap array for its batch,
 * labels or dropout masks (each would be a fresh, zeroed block, freed only by the garbage
 * collector: docs/performance.md). An array returned by one call is overwritten by the next call
 * for the same input, so it is valid for one step.
 */
final class BatchBuffers {
  private final Preprocessing pre;
  private final int pictureSize;
  private final int[] indices;
  private final float[] pictures;
  private final int classes;
  /** The graph's input arrays, by input name and row count. */
  private final Map<String, INDArray> inputs = new HashMap<>();

  BatchBuffers(Preprocessing pre, int maxRows, int classes) {
    this.pre = pre;
    this.pictureSize = pre.input().size();
    this.indices = new int[maxRows];
    this.pictures = new float[maxRows * pictureSize];
    this.classes = classes;
  }

  /** Two buffer sets, for a step and the batch prefetched while it runs ({@link Prefetcher}). */
  static BatchBuffers[] pair(Preprocessing pre, int maxRows, int classes) {
    return new BatchBuffers[] {new BatchBuffers(pre, maxRows, classes),
        new BatchBuffers(pre, maxRows, classes)};
  }

  /** Samples {@code n} pictures of {@code ds} into rows {@code row..row+n}; returns their labels. */
  int[] sample(BatchSampler sampler, ImageDataset ds, int n, int row) {
    sampler.next(indices, n);
    pre.fill(ds, indices, 0, n, pictures, row);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = ds.labels()[indices[i]];
    }
    return labels;
  }

  /** Applies {@code augmentation} to rows {@code row..row+n} (source pictures only). */
  void augment(Augmentation augmentation, int row, int n, long seed, long iteration) {
    Augmenter.apply(augmentation, pre, pictures, row, n, seed, iteration);
  }

  /** The first {@code rows} pictures as {@code [rows, C, H, W]}. */
  INDArray pictures(int rows) {
    var s = pre.input();
    float[] data = rows * pictureSize == pictures.length ? pictures
        : Arrays.copyOf(pictures, rows * pictureSize);
    return write("pictures", data, rows, s.channels(), s.height(), s.width());
  }

  /** One-hot labels for {@code rows} rows; rows at or past {@code labels.length} stay zero. */
  INDArray oneHot(int[] labels, int rows) {
    float[] y = new float[rows * classes];
    for (int i = 0; i < labels.length; i++) {
      y[i * classes + labels[i]] = 1f;
    }
    return write("labels", y, rows, classes);
  }

  /**
   * The input array {@code name} of shape {@code shape} (created at its first use), holding
   * {@code values}: {@code DataBuffer.setData} copies them into the array's own buffer, host and
   * device alike.
   */
  private INDArray write(String name, float[] values, long... shape) {
    INDArray a = inputs.computeIfAbsent(name + Arrays.toString(shape),
        k -> Nd4j.create(DataType.FLOAT, shape, 'c'));
    a.data().setData(values);
    return a;
  }

  /**
   * Domain labels of {@code sourceLabels.length} source rows (column 0, each weighted by its
   * class's weight) followed by {@code targetRows} target rows (column 1, weight 1).
   */
  static INDArray weightedDomains(int[] sourceLabels, double[] classWeights, int targetRows) {
    int rows = sourceLabels.length + targetRows;
    float[] d = new float[rows * 2];
    for (int i = 0; i < rows; i++) {
      d[i * 2 + (i < sourceLabels.length ? 0 : 1)] = i < sourceLabels.length
          ? (float) classWeights[sourceLabels[i]] : 1f;
    }
    return Nd4j.create(d, new long[] {rows, 2}, 'c');
  }

  /** One-hot domain labels: {@code sourceRows} rows of domain 0, then {@code targetRows} of 1. */
  static INDArray domains(int sourceRows, int targetRows) {
    int rows = sourceRows + targetRows;
    float[] d = new float[rows * 2];
    for (int i = 0; i < rows; i++) {
      d[i * 2 + (i < sourceRows ? 0 : 1)] = 1f;
    }
    return Nd4j.create(d, new long[] {rows, 2}, 'c');
  }

  /**
   * Inverted-dropout masks for the architecture's mask placeholders, drawn from a generator seeded
   * by the run seed and the iteration (so resumed runs draw the same masks).
   */
  void dropoutMasks(Architecture a, Map<String, INDArray> placeholders, int rows, long seed,
      long iteration) {
    Map<String, Integer> masks = a.dropoutMasks(dev.daflow.ml.nn.Graphs.ENCODER,
        dev.daflow.ml.nn.Graphs.CLASSIFIER);
    if (masks.isEmpty()) {
      return;
    }
    SplittableRandom r = new SplittableRandom(BatchSampler.mix(seed, iteration, 0xD80F));
    double keep = 1 - a.dropoutRate();
    for (var e : masks.entrySet()) {
      float[] m = new float[rows * e.getValue()];
      for (int i = 0; i < m.length; i++) {
        m[i] = r.nextDouble() < keep ? (float) (1 / keep) : 0f;
      }
      placeholders.put(e.getKey(), write(e.getKey(), m, rows, e.getValue()));
    }
  }
}
