package dev.daflow.ml.train;

import java.util.SplittableRandom;

/**
 * Draws the picture indices of one epoch: each domain is walked in a random order, reshuffled
 * whenever it runs out, so the smaller domain is cycled. The order is a function of the seed and
 * epoch alone, which makes resuming from an epoch checkpoint reproduce the uninterrupted run.
 */
final class BatchSampler {
  private final int count;
  private final SplittableRandom random;
  private int[] order;
  private int next;

  BatchSampler(int count, long seed, int epoch, int domain) {
    if (count < 1) {
      throw new IllegalArgumentException("cannot sample from an empty dataset");
    }
    this.count = count;
    this.random = new SplittableRandom(mix(seed, epoch, domain));
    reshuffle();
  }

  /** Fills {@code out[0..n)} with the next {@code n} indices. */
  void next(int[] out, int n) {
    for (int i = 0; i < n; i++) {
      if (next == count) {
        reshuffle();
      }
      out[i] = order[next++];
    }
  }

  private void reshuffle() {
    order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    next = 0;
  }

  static long mix(long seed, long a, long b) {
    long h = seed * 0x9E3779B97F4A7C15L + a;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + b;
    return h ^ (h >>> 29);
  }
}
