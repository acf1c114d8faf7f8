package dev.daflow.bench;

import dev.daflow.ml.nn.Architectures;
import java.util.Locale;

/**
 * The raw DANN step speed of one network in a JVM of its own, for comparisons with the platform
 * trainer ({@code daflow bench-platform}, docs/benchmarks-platform.md): run it with the trainer's
 * JVM options and environment, and the difference between the two is the platform's. Usage:
 * {@code RawDannStep NETWORK STEPS}; prints one line, {@code raw-step NETWORK IMG_PER_S
 * MS_PER_STEP}, as measured by {@link Benchmark#dannStepSpeed} (batch 128+128, {@code 3 x STEPS}
 * steps of warm-up).
 */
public final class RawDannStep {
  private RawDannStep() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: RawDannStep NETWORK STEPS");
      System.exit(2);
    }
    String network = args[0];
    int steps = Integer.parseInt(args[1]);
    double[] s = Benchmark.dannStepSpeed(Architectures.byName(network), steps);
    System.out.printf(Locale.ROOT, "raw-step %s %.1f %.1f%n", network, s[0], s[1]);
  }
}
