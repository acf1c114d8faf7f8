package dev.daflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a benchmark ran on. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException e) {
      // keep "unknown CPU"
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, OMP_NUM_THREADS="
        + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + ", Java "
        + System.getProperty("java.version") + ", ND4J 1.0.0-M2.1 "
        + System.getProperty("daflow.natives", "onednn-avx2 CPU natives");
  }
}
