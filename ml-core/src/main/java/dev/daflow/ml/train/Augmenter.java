package dev.daflow.ml.train;

import dev.daflow.contract.Augmentation;
import dev.daflow.ml.data.Preprocessing;
import java.util.SplittableRandom;

/**
 * Applies the contract's {@link Augmentation} to the labelled source pictures of each training
 * step (target pictures are never changed). No labels of either domain are involved.
 *
 * <ul>
 *   <li>{@link Augmentation#NONE}: pictures as they are.
 *   <li>{@link Augmentation#COLOUR}: per picture, the intensities are inverted with probability
 *       1/2, then each channel gets a random contrast {@code a ~ U[0.3, 1]} and offset {@code b ~
 *       U[0, 1 - a]} (fractions of the value range). The classifier then cannot rely on
 *       light-on-dark strokes or on colour, a standard photometric augmentation in unsupervised
 *       domain adaptation (French, Mackiewicz &amp; Fisher 2018, "Self-ensembling for visual
 *       domain adaptation", ICLR, Sec. 3.3).
 * </ul>
 *
 * <p>Draws come from a generator seeded by the run seed and the iteration, so a resumed run
 * augments exactly as an uninterrupted one.
 */
final class Augmenter {
  private Augmenter() {}

  /** Stable salt separating this generator from the batch samplers and dropout masks. */
  private static final long SALT = 0xC010_0A06L;

  /**
   * Augments {@code n} standardised NCHW pictures of {@code pictures} from picture slot {@code
   * row} in place.
   */
  static void apply(Augmentation augmentation, Preprocessing pre, float[] pictures, int row, int n,
      long seed, long iteration) {
    if (augmentation == Augmentation.NONE) {
      return;
    }
    int c = pre.input().channels();
    int hw = pre.input().height() * pre.input().width();
    float lo = pre.scaling().apply(0);
    float hi = pre.scaling().apply(255);
    SplittableRandom r = new SplittableRandom(BatchSampler.mix(seed, iteration, SALT + row));
    for (int k = 0; k < n; k++) {
      boolean invert = r.nextBoolean();
      for (int ch = 0; ch < c; ch++) {
        double a = 0.3 + 0.7 * r.nextDouble();
        double b = r.nextDouble() * (1 - a);
        // In scaled units x: x' = invert ? lo + hi - x : x; x'' = lo + a (x' - lo) + b (hi - lo).
        // With x = s v + m for a standardised value v, v'' = slope v + shift.
        double sign = invert ? -1 : 1;
        double tau = invert ? lo + hi : 0;
        double m = pre.mean()[ch];
        double s = pre.std()[ch];
        double constant = lo + a * (tau - lo) + b * (hi - lo);
        float slope = (float) (a * sign);
        float shift = (float) ((a * sign * m + constant - m) / s);
        int off = (row + k) * c * hw + ch * hw;
        for (int i = 0; i < hw; i++) {
          pictures[off + i] = slope * pictures[off + i] + shift;
        }
      }
    }
  }
}
