package dev.daflow.bench;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The raw DANN step speed of one network in a JVM of its own, for comparisons with the platform
 * trainer ({@code daflow bench-trainer}, docs/benchmarks-trainer.md): run it with the trainer's
 * JVM options and environment, and the difference between the two is the platform's. Usage:
 * {@code RawDannStep NETWORK STEPS}. Prints one line, {@code raw-step NETWORK IMG_PER_S
 * MS_PER_STEP IMG_PER_CPU_S KERNEL_SHARE}: the first two as {@link StepSpeed}
 * measures them (batch 128+128, {@code 3 x STEPS} steps of warm-up, then {@code STEPS} timed);
 * the last two from this process's CPU time over that call (all its {@code 4 x STEPS} steps,
 * after a short call that warms the JIT and oneDNN up): pictures per CPU-second, and the kernel's
 * share of the CPU time (NaN where {@code /proc/self/stat} cannot be read).
 */
public final class RawDannStep {
  /** Source+target pictures of one step of {@link StepSpeed}. */
  static final int PICTURES_PER_STEP = 256;

  private RawDannStep() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: RawDannStep NETWORK STEPS");
      System.exit(2);
    }
    String network = args[0];
    int steps = Integer.parseInt(args[1]);
    Architecture arch = Architectures.byName(network);
    StepSpeed.measure(arch, 1, null); // JIT and oneDNN's kernels, before the CPU time is read
    long[] before = cpuTicks();
    long cpuBefore = processCpuNanos();
    StepSpeed.Result s = StepSpeed.measure(arch, steps, null);
    double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
    long[] after = cpuTicks();
    double kernel = before == null || after == null ? Double.NaN
        : (after[1] - before[1]) / (double) Math.max(1, after[0] + after[1] - before[0]
            - before[1]);
    System.out.printf(Locale.ROOT, "raw-step %s %.1f %.1f %.1f %.4f%n", network,
        s.imagesPerSecond(), s.msPerStep(),
        4.0 * steps * PICTURES_PER_STEP / cpuSeconds, kernel);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** utime and stime of this process (clock ticks), or null off Linux. */
  private static long[] cpuTicks() {
    try {
      String line = Files.readString(Path.of("/proc/self/stat"));
      String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
