package dev.daflow.cli;

import java.io.PrintStream;

/**
 * Standard output without the lines SameDiff 1.0.0-M2.1 prints with {@code System.out.println}
 * (not through a logger, so logging settings cannot silence them) each time it builds a gradient
 * graph: {@code Added differentiated op ...}.
 */
final class QuietStdout extends PrintStream {
  static final String NOISE = "Added differentiated op ";

  QuietStdout(PrintStream out) {
    super(out, true);
  }

  /** Replaces {@link System#out} with a quiet one (once). */
  static void install() {
    if (!(System.out instanceof QuietStdout)) {
      System.setOut(new QuietStdout(System.out));
    }
  }

  @Override
  public void println(String line) {
    if (line == null || !line.startsWith(NOISE)) {
      super.println(line);
    }
  }
}
