package dev.daflow.ml.eval;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.model.Model;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's features ({@link Model#features}: the encoder's output the classifier reads) of a
 * sample of pictures spread evenly over a dataset: what {@link DomainDistance} and {@link
 * PcaEmbedding} measure and draw.
 */
public final class FeatureSample {
  private static final int BATCH = 256;

  private FeatureSample() {}

  /**
   * Indices of {@code n} pictures spread evenly over {@code count} ({@code i * count / n}).
   *
   * @throws IllegalArgumentException if {@code n} is negative or above {@code count}
   */
  public static int[] indices(int count, int n) {
    if (n < 0 || n > count) {
      throw new IllegalArgumentException("cannot take " + n + " of " + count + " pictures");
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = (int) ((long) i * count / n);
    }
    return idx;
  }

  /**
   * Features of {@code n} pictures spread evenly over {@code ds} ({@link #indices}), as doubles.
   *
   * @return {@code [n, features]}
   */
  public static INDArray of(Model model, ImageDataset ds, int n) {
    return of(model, ds, indices(ds.count(), n));
  }

  /**
   * Features of the pictures {@code indices} of {@code ds}, in that order, as doubles.
   *
   * @return {@code [indices.length, features]}
   * @throws IllegalArgumentException if {@code indices} is empty
   */
  public static INDArray of(Model model, ImageDataset ds, int[] indices) {
    return sample(model.preprocessing(), ds, indices, x -> model.features(x));
  }

  /**
   * The pictures {@code indices} of {@code ds} as a network with preprocessing {@code pre} takes
   * them (framed to its input shape, scaled and standardised), each flattened to one row, as
   * doubles: no model. What the proxy A-distance of the input ({@link DomainDistance}) is measured
   * on, the domain shift as a linear classifier sees it in the pictures themselves, e.g. as the
   * reference before any adaptation (Ben-David et al. 2007 measure it on the input
   * representation too).
   *
   * @return {@code [indices.length, channels * height * width]}
   * @throws IllegalArgumentException if {@code indices} is empty
   */
  public static INDArray pixels(Preprocessing pre, ImageDataset ds, int[] indices) {
    return sample(pre, ds, indices, x -> x);
  }

  /** {@code map} of batches of the pictures {@code indices}, one row each, as doubles. */
  private static INDArray sample(Preprocessing pre, ImageDataset ds, int[] indices,
      java.util.function.UnaryOperator<INDArray> map) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("no pictures to take features of");
    }
    ImageDataset shaped = pre.shape(ds);
    var s = pre.input();
    int size = s.size();
    INDArray all = null;
    float[] buf = new float[BATCH * size];
    for (int from = 0; from < indices.length; from += BATCH) {
      int k = Math.min(BATCH, indices.length - from);
      pre.fill(shaped, indices, from, k, buf, 0);
      INDArray x = Nd4j.create(Arrays.copyOf(buf, k * size),
          new long[] {k, s.channels(), s.height(), s.width()}, 'c');
      INDArray f = map.apply(x).castTo(DataType.DOUBLE);
      f = f.reshape(k, f.length() / k);
      all = all == null ? f : Nd4j.vstack(all, f);
    }
    return all;
  }
}
