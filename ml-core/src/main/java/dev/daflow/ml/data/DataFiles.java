package dev.daflow.ml.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Helpers shared by the readers: opening files that may be gzip-compressed. */
final class DataFiles {
  private DataFiles() {}

  /**
   * Opens {@code file} for reading, transparently decompressing it when it starts with the gzip
   * magic bytes {@code 1f 8b} (whatever its name).
   */
  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      }
      return in;
    } catch (IOException e) {
      in.close();
      throw new DatasetFormatException(file, "cannot open: " + e.getMessage(), e);
    }
  }

  /** Checks that {@code value} is an integer-valued digit 0..9 and returns it. */
  static int digitLabel(Path file, double value, String where) throws DatasetFormatException {
    if (value != Math.rint(value) || value < 0 || value > 9) {
      throw new DatasetFormatException(file, "label " + value + " " + where + " is not a digit 0..9");
    }
    return (int) value;
  }

  /** Rounds a value in [0,1] to an unsigned byte, failing on values outside (within slack). */
  static byte unitToByte(Path file, double v, String where) throws DatasetFormatException {
    if (!(v >= -1e-6 && v <= 1 + 1e-6)) {
      throw new DatasetFormatException(file, "value " + v + " " + where + " is outside [0,1]");
    }
    return (byte) Math.max(0, Math.min(255, Math.round(v * 255)));
  }
}
