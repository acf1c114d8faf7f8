package dev.daflow.ml.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads MNIST in LeCun's IDX format: an {@code idx3-ubyte} images file (magic 2051) and an
 * {@code idx1-ubyte} labels file (magic 2049), raw or gzip-compressed (detected by the gzip magic
 * bytes, not the file name). Every byte is checked: a truncated file, trailing bytes, a wrong
 * magic number, a label outside 0..9 or differing counts raise {@link DatasetFormatException}.
 */
public final class MnistIdxReader {
  /** Magic number of an IDX file of unsigned bytes with 3 dimensions. */
  public static final int IMAGES_MAGIC = 2051;
  /** Magic number of an IDX file of unsigned bytes with 1 dimension. */
  public static final int LABELS_MAGIC = 2049;

  private MnistIdxReader() {}

  /**
   * Reads an images file and its labels file.
   *
   * @param images the {@code *-images-idx3-ubyte[.gz]} file
   * @param labels the {@code *-labels-idx1-ubyte[.gz]} file
   * @param name the dataset name, e.g. {@code mnist/train}
   * @return grey pictures with labels in {@link ImageDataset#DIGITS}
   * @throws DatasetFormatException if either file is not a valid IDX file or they disagree
   * @throws IOException if a file cannot be read
   */
  public static ImageDataset read(Path images, Path labels, String name) throws IOException {
    Idx img = readIdx(images, IMAGES_MAGIC, 3);
    Idx lab = readIdx(labels, LABELS_MAGIC, 1);
    if (img.dims[0] != lab.dims[0]) {
      throw new DatasetFormatException(labels,
          lab.dims[0] + " labels for " + img.dims[0] + " images in " + images);
    }
    int[] ls = new int[lab.dims[0]];
    for (int i = 0; i < ls.length; i++) {
      ls[i] = lab.data[i] & 0xff;
      if (ls[i] > 9) {
        throw new DatasetFormatException(labels, "label " + ls[i] + " of item " + i
            + " is not a digit 0..9");
      }
    }
    return new ImageDataset(name, img.data, ls, img.dims[0], img.dims[1], img.dims[2], 1,
        ImageDataset.DIGITS);
  }

  private record Idx(int[] dims, byte[] data) {}

  private static Idx readIdx(Path file, int magic, int rank) throws IOException {
    try (InputStream raw = DataFiles.open(file); DataInputStream in = new DataInputStream(raw)) {
      int m = in.readInt();
      if (m != magic) {
        throw new DatasetFormatException(file, "magic number " + m + ", expected " + magic);
      }
      int[] dims = new int[rank];
      long size = 1;
      for (int d = 0; d < rank; d++) {
        dims[d] = in.readInt();
        if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
          throw new DatasetFormatException(file, "bad dimension " + dims[d]);
        }
        size *= dims[d];
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new DatasetFormatException(file, "too large: " + size + " bytes of data");
      }
      byte[] data = new byte[(int) size];
      try {
        in.readFully(data);
      } catch (EOFException e) {
        throw new DatasetFormatException(file, "truncated: expected " + size
            + " data bytes after the header", e);
      }
      if (in.read() >= 0) {
        throw new DatasetFormatException(file, "trailing bytes after the " + size
            + " data bytes");
      }
      return new Idx(dims, data);
    } catch (DatasetFormatException | NoSuchFileException e) {
      throw e;
    } catch (EOFException e) {
      throw new DatasetFormatException(file, "truncated header", e);
    } catch (IOException e) {
      throw new DatasetFormatException(file, "corrupt: " + e.getMessage(), e);
    }
  }
}
