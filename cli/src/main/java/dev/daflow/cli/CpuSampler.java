package dev.daflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of some processes (user and kernel, from {@code /proc/<pid>/stat}) and of the whole
 * machine (from {@code /proc/stat}), sampled every {@code every} on a daemon thread of its own;
 * {@link #between} gives what was spent between two moments. Linux only: elsewhere {@link
 * #available()} is false and nothing is sampled.
 */
final class CpuSampler implements AutoCloseable {
  /** Clock ticks per second of {@code /proc} (USER_HZ: 100 on every Linux this runs on). */
  static final double TICKS_PER_SECOND = 100;

  /** CPU ticks of one process: in user mode and in the kernel. */
  record Ticks(long user, long system) {}

  /**
   * One reading.
   *
   * @param nanos {@link System#nanoTime()} when it was taken
   * @param processes ticks by name (a process that has ended is absent)
   * @param machine {@code /proc/stat}'s {@code cpu} line: user, nice, system, idle, iowait, irq,
   *     softirq, steal
   */
  record Sample(long nanos, Map<String, Ticks> processes, long[] machine) {}

  /**
   * CPU used over a window.
   *
   * @param seconds its length
   * @param processes per name: user and kernel seconds
   * @param machineBusy the machine's busy share of all its cores (0..1)
   * @param machineKernel its kernel share (system, irq, softirq) of all its cores (0..1)
   * @param cores the machine's cores
   */
  record Window(double seconds, Map<String, double[]> processes, double machineBusy,
      double machineKernel, int cores) {
    /** User plus kernel seconds of {@code name} (0 when it was not sampled). */
    double cpuSeconds(String name) {
      double[] t = processes.get(name);
      return t == null ? 0 : t[0] + t[1];
    }

    /** {@code name}'s CPU as a share of one core over the window. */
    double coreShare(String name) {
      return seconds > 0 ? cpuSeconds(name) / seconds : 0;
    }

    /** {@code name}'s kernel time as a share of its CPU time (NaN without CPU time). */
    double kernelShare(String name) {
      double[] t = processes.get(name);
      return t == null || t[0] + t[1] <= 0 ? Double.NaN : t[1] / (t[0] + t[1]);
    }

    /** Cores busy with anything, on average. */
    double busyCores() {
      return machineBusy * cores;
    }
  }

  private final Map<String, Long> pids;
  private final List<Sample> samples = new ArrayList<>();
  private final Duration every;
  private final Thread thread;
  private volatile boolean running = true;

  /** Starts sampling {@code pids} (by name). */
  CpuSampler(Map<String, Long> pids, Duration every) {
    this.pids = Map.copyOf(pids);
    this.every = every;
    this.thread = new Thread(this::run, "cpu-sampler");
    thread.setDaemon(true);
    if (available()) {
      thread.start();
    }
  }

  /** Whether {@code /proc} can be read here. */
  static boolean available() {
    return Files.isReadable(Path.of("/proc/stat"));
  }

  /** What was spent between the samples nearest to {@code fromNanos} and {@code toNanos}. */
  Window between(long fromNanos, long toNanos) {
    Sample a;
    Sample b;
    synchronized (samples) {
      if (samples.size() < 2) {
        throw new IllegalStateException("no CPU samples" + (available() ? "" : " (no /proc)"));
      }
      a = nearest(fromNanos);
      b = nearest(toNanos);
    }
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    Map<String, double[]> processes = new LinkedHashMap<>();
    b.processes().forEach((name, tb) -> {
      Ticks ta = a.processes().get(name);
      if (ta != null) {
        processes.put(name, new double[] {(tb.user() - ta.user()) / TICKS_PER_SECOND,
            (tb.system() - ta.system()) / TICKS_PER_SECOND});
      }
    });
    long[] d = new long[a.machine().length];
    long total = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = b.machine()[i] - a.machine()[i];
      total += d[i];
    }
    long idle = d[3] + (d.length > 4 ? d[4] : 0);
    long kernel = d[2] + (d.length > 6 ? d[5] + d[6] : 0);
    return new Window(seconds, processes, total > 0 ? (total - idle) / (double) total : 0,
        total > 0 ? kernel / (double) total : 0, Runtime.getRuntime().availableProcessors());
  }

  private Sample nearest(long nanos) {
    Sample best = samples.get(0);
    for (Sample s : samples) {
      if (Math.abs(s.nanos() - nanos) < Math.abs(best.nanos() - nanos)) {
        best = s;
      }
    }
    return best;
  }

  private void run() {
    while (running) {
      Sample s = sample();
      synchronized (samples) {
        samples.add(s);
      }
      try {
        Thread.sleep(every.toMillis()); // the sampling interval
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Sample sample() {
    long now = System.nanoTime();
    Map<String, Ticks> processes = new LinkedHashMap<>();
    pids.forEach((name, pid) -> {
      Ticks t = processTicks(pid);
      if (t != null) {
        processes.put(name, t);
      }
    });
    return new Sample(now, processes, machineTicks());
  }

  /** User and kernel ticks of a process, or null when it is gone. */
  static Ticks processTicks(long pid) {
    try {
      return parseStat(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Fields 14 and 15 (utime, stime) of a {@code /proc/<pid>/stat} line; the command name in
   * parentheses may hold spaces, so fields are counted after its closing parenthesis.
   */
  static Ticks parseStat(String line) {
    String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
    return new Ticks(Long.parseLong(f[11]), Long.parseLong(f[12]));
  }

  private static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long[] t = new long[Math.min(8, f.length - 1)];
      for (int i = 0; i < t.length; i++) {
        t[i] = Long.parseLong(f[i + 1]);
      }
      return t;
    } catch (IOException | RuntimeException e) {
      return new long[8];
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
