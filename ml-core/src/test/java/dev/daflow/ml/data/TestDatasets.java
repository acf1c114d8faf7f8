package dev.daflow.ml.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real datasets folder for tests. */
public final class TestDatasets {
  private TestDatasets() {}

  /**
   * The datasets folder: system property {@code daflow.datasets} (set by surefire), else
   * {@code ../../shared/datasets} from the module's working directory.
   */
  public static Path root() {
    String prop = System.getProperty("test.datasets");
    Path root = prop != null && !prop.isBlank() && !prop.contains("${")
        ? Path.of(prop)
        : Path.of("..", "..", "shared", "datasets");
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("datasets folder not found: " + root
          + " (set -Ddaflow.datasets)");
    }
    return root;
  }

  /** A file under the datasets folder. */
  public static Path file(String first, String... more) {
    return root().resolve(Path.of(first, more));
  }
}
