package dev.daflow.ml.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that cannot be decoded: truncated or corrupt content, a wrong magic number,
 * inconsistent counts, unsupported variable types or shapes, or labels out of range. The message
 * always starts with the file, as {@code "<file>: <problem>"}. Readers throw it rather than
 * return a partial dataset.
 */
public class DatasetFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * @param file the offending file (or folder)
   * @param problem what is wrong with it
   */
  public DatasetFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /**
   * @param file the offending file (or folder)
   * @param problem what is wrong with it
   * @param cause the low-level error, if any
   */
  public DatasetFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file the problem was found in. */
  public Path file() {
    return file;
  }
}
