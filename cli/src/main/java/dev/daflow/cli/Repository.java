package dev.daflow.cli;

import java.nio.file.Path;

/**
 * The repository checkout the CLI runs from: the system property {@value #PROPERTY} ({@code
 * bin/daflow} sets it, as local-stack reads it to find the services' jars), else the working
 * folder.
 */
final class Repository {
  /** System property with the repository root. */
  static final String PROPERTY = "daflow.repo";

  private Repository() {}

  /** The root folder, absolute. */
  static Path root() {
    String p = System.getProperty(PROPERTY);
    return (p == null || p.isBlank() ? Path.of("") : Path.of(p)).toAbsolutePath().normalize();
  }

  /** {@code relative} under the root. */
  static Path resolve(String relative) {
    return root().resolve(relative);
  }
}
