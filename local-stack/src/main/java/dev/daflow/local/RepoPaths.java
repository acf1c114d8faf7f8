package dev.daflow.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths relative to the repository root, found from the root, from a module's folder, or from
 * anywhere when the system property {@value #ROOT_PROPERTY} names the root (as {@code bin/daflow}
 * sets it).
 */
final class RepoPaths {
  /** System property with the repository root folder. */
  static final String ROOT_PROPERTY = "daflow.repo";

  private RepoPaths() {}

  /**
   * {@code relative} under {@value #ROOT_PROPERTY} when that property is set, else as it is when
   * it exists (run from the repository root), else under {@code ..} when that exists (run from a
   * module's folder, as Maven runs tests), else as given.
   */
  static Path find(Path relative) {
    String root = System.getProperty(ROOT_PROPERTY);
    if (!relative.isAbsolute() && root != null && !root.isBlank()) {
      return Path.of(root).resolve(relative);
    }
    if (relative.isAbsolute() || Files.exists(relative)) {
      return relative;
    }
    Path up = Path.of("..").resolve(relative);
    return Files.exists(up) ? up.normalize() : relative;
  }
}
