package dev.daflow.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths relative to the repository root, found from the root or from a module's folder. */
final class RepoPaths {
  private RepoPaths() {}

  /**
   * {@code relative} as it is when it exists (run from the repository root), else under {@code
   * ..} when that exists (run from a module's folder, as Maven runs tests), else as given.
   */
  static Path find(Path relative) {
    if (relative.isAbsolute() || Files.exists(relative)) {
      return relative;
    }
    Path up = Path.of("..").resolve(relative);
    return Files.exists(up) ? up.normalize() : relative;
  }
}
