package dev.daflow.ml.data;

import java.io.IOException;

/**
 * Encoded bytes that are not a picture {@link Pictures#decode} can decode: no image reader
 * recognises them, or the one that does cannot decode them (truncated, corrupt). The message is
 * {@code "not a picture (<n> bytes): <problem>"}, the problem naming the reader and its error.
 */
public class PictureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String problem;

  /**
   * @param bytes how many bytes were given
   * @param problem what is wrong with them
   * @param cause the reader's error, or null
   */
  public PictureFormatException(int bytes, String problem, Throwable cause) {
    super("not a picture (" + bytes + " bytes): " + problem, cause);
    this.problem = problem;
  }

  /** What is wrong, without the leading "not a picture (n bytes)". */
  public String problem() {
    return problem;
  }
}
