package dev.daflow.ml.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The source training pictures a job holds out of training, to measure source validation
 * accuracy on (a validator, and the basis of deep embedded validation: You et al., ICML 2019,
 * split the source into training and validation parts): a seeded, deterministic choice of {@code
 * round(fraction * n)} of the {@code n} pictures, so the trainer and the evaluator, which
 * recomputes it from the model card, pick exactly the same ones. Never the test split.
 */
public final class SourceHoldout {
  /** The fraction held out when a job does not say: one picture in ten. */
  public static final double DEFAULT_FRACTION = 0.1;

  /** Mixed into the job's seed, so the held-out choice does not mirror its batch order. */
  private static final long SALT = 0x5EED_0F_5A11DL;

  private SourceHoldout() {}

  /** The training pictures and the held-out ones. */
  public record Parts(ImageDataset train, ImageDataset heldOut) {}

  /** The fraction checked: in {@code [0, 0.5]}. */
  public static double checkFraction(double fraction) {
    if (!(fraction >= 0 && fraction <= 0.5)) {
      throw new IllegalArgumentException("the source validation fraction must be in [0, 0.5], "
          + "got " + fraction);
    }
    return fraction;
  }

  /**
   * Indices (ascending) of the pictures held out of {@code n}: the first {@code round(fraction *
   * n)} of a seeded Fisher-Yates shuffle.
   */
  public static int[] indices(int n, double fraction, long seed) {
    checkFraction(fraction);
    int k = (int) Math.round(fraction * n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed ^ SALT);
    for (int i = 0; i < k; i++) { // a partial shuffle: positions 0..k-1 are a uniform sample
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] out = Arrays.copyOf(order, k);
    Arrays.sort(out);
    return out;
  }

  /** {@code all} split into the pictures trained on and those held out, each in order. */
  public static Parts split(ImageDataset all, double fraction, long seed) {
    int[] held = indices(all.count(), fraction, seed);
    boolean[] isHeld = new boolean[all.count()];
    for (int i : held) {
      isHeld[i] = true;
    }
    int[] train = new int[all.count() - held.length];
    int t = 0;
    for (int i = 0; i < all.count(); i++) {
      if (!isHeld[i]) {
        train[t++] = i;
      }
    }
    return new Parts(select(all, train, all.name()),
        select(all, held, all.name() + "-heldout"));
  }

  /** The pictures of {@code ds} at {@code indices}, in that order. */
  static ImageDataset select(ImageDataset ds, int[] indices, String name) {
    int size = ds.pictureSize();
    byte[] pixels = new byte[indices.length * size];
    int[] labels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(ds.pixels(), indices[i] * size, pixels, i * size, size);
      labels[i] = ds.labels()[indices[i]];
    }
    return new ImageDataset(name, pixels, labels, indices.length, ds.height(), ds.width(),
        ds.channels(), ds.classNames());
  }
}
