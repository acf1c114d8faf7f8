package dev.daflow.ml.model;

import java.io.IOException;

/** A model bundle that is not one, is corrupt, or fails its checksum. */
public final class BundleFormatException extends IOException {
  public BundleFormatException(String message) {
    super(message);
  }

  public BundleFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
