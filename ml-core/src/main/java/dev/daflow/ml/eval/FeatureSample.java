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
    if (indices.length == 0) {
      throw new IllegalArgumentException("no pictures to take features of");
    }
    Preprocessing pre = model.preprocessing();
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
      INDArray f = model.features(x).castTo(DataType.DOUBLE);
      f = f.reshape(k, f.length() / k);
      all = all == null ? f : Nd4j.vstack(all, f);
    }
    return all;
  }
}
