package dev.daflow.ml.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads USPS (16x16 grey digits) in its two common distributions: the ESL text files
 * {@code zip.train.gz}/{@code zip.test.gz} (per line a label then 256 values in [-1,1],
 * row-major) and the {@code usps.h5} HDF5 file ({@code <split>/data} (N,256) in [0,1] and
 * {@code <split>/target}).
 */
public final class UspsReader {
  /** Side of a USPS picture. */
  public static final int SIDE = 16;
  private static final int PIXELS = SIDE * SIDE;

  private UspsReader() {}

  /**
   * Reads an ESL text file, gzip-compressed or not. A value {@code v} becomes the byte
   * {@code round((v+1)/2*255)}; the label may be written as a float ({@code 6.0000}).
   *
   * @param zipTextGz {@code zip.train.gz} or {@code zip.test.gz}
   * @param name the dataset name
   * @return grey 16x16 pictures with labels in {@link ImageDataset#DIGITS}
   * @throws DatasetFormatException on a malformed line (named with its number) or corrupt gzip
   * @throws IOException if the file cannot be read
   */
  public static ImageDataset readText(Path zipTextGz, String name) throws IOException {
    ByteSink pixels = new ByteSink();
    int[] labels = new int[1024];
    int count = 0;
    try (InputStream raw = DataFiles.open(zipTextGz);
        BufferedReader in = new BufferedReader(
            new InputStreamReader(raw, StandardCharsets.US_ASCII))) {
      byte[] picture = new byte[PIXELS];
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        String[] tokens = trimmed.split("\\s+");
        String where = "on line " + lineNo;
        if (tokens.length != PIXELS + 1) {
          throw new DatasetFormatException(zipTextGz, tokens.length + " values " + where
              + ", expected a label and " + PIXELS + " pixels");
        }
        if (count == labels.length) {
          labels = Arrays.copyOf(labels, count * 2);
        }
        labels[count] = DataFiles.digitLabel(zipTextGz, number(zipTextGz, tokens[0], where),
            where);
        for (int p = 0; p < PIXELS; p++) {
          double v = number(zipTextGz, tokens[p + 1], where);
          picture[p] = DataFiles.unitToByte(zipTextGz, (v + 1) / 2, where);
        }
        pixels.write(picture);
        count++;
      }
    } catch (DatasetFormatException | NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetFormatException(zipTextGz, "corrupt: " + e, e);
    }
    if (count == 0) {
      throw new DatasetFormatException(zipTextGz, "no pictures");
    }
    return new ImageDataset(name, pixels.toByteArray(), Arrays.copyOf(labels, count), count,
        SIDE, SIDE, 1, ImageDataset.DIGITS);
  }

  /**
   * Reads one split of {@code usps.h5}. A value {@code v} in [0,1] becomes {@code round(v*255)}.
   *
   * @param h5 the HDF5 file
   * @param split {@code "train"} or {@code "test"}
   * @param name the dataset name
   * @return grey 16x16 pictures with labels in {@link ImageDataset#DIGITS}
   * @throws DatasetFormatException on missing datasets, wrong shapes or types, bad values
   * @throws IOException if the file cannot be read
   */
  public static ImageDataset readHdf5(Path h5, String split, String name) throws IOException {
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("split must be train or test, got " + split);
    }
    if (!Files.isReadable(h5)) {
      throw new NoSuchFileException(h5.toString());
    }
    try (HdfFile file = new HdfFile(h5)) {
      Dataset data = dataset(h5, file, split + "/data");
      Dataset target = dataset(h5, file, split + "/target");
      int[] dims = data.getDimensions();
      int n = dims.length > 0 ? dims[0] : 0;
      long perPicture = dims.length == 0 ? 0 : data.getSize() / Math.max(1, n);
      if (dims.length < 2 || perPicture != PIXELS) {
        throw new DatasetFormatException(h5, split + "/data must have shape (N,256), has "
            + Arrays.toString(dims));
      }
      if (target.getSize() != n) {
        throw new DatasetFormatException(h5, split + "/target has " + target.getSize()
            + " labels for " + n + " pictures");
      }
      double[] flat = doubles(h5, data.getDataFlat(), split + "/data");
      double[] targets = doubles(h5, target.getDataFlat(), split + "/target");
      byte[] pixels = new byte[n * PIXELS];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = DataFiles.unitToByte(h5, flat[i],
            "at flat index " + i + " of " + split + "/data");
      }
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = DataFiles.digitLabel(h5, targets[i],
            "at index " + i + " of " + split + "/target");
      }
      return new ImageDataset(name, pixels, labels, n, SIDE, SIDE, 1, ImageDataset.DIGITS);
    } catch (DatasetFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DatasetFormatException(h5, "not a readable HDF5 file: " + e, e);
    }
  }

  private static Dataset dataset(Path h5, HdfFile file, String path)
      throws DatasetFormatException {
    Node node;
    try {
      node = file.getByPath(path);
    } catch (RuntimeException e) {
      throw new DatasetFormatException(h5, "no dataset " + path, e);
    }
    if (!(node instanceof Dataset d) || d.isCompound() || d.isVariableLength()) {
      throw new DatasetFormatException(h5, path + " is not a numeric dataset");
    }
    return d;
  }

  /** A flat numeric array from jHDF as doubles; other element types are a format error. */
  private static double[] doubles(Path h5, Object flat, String path)
      throws DatasetFormatException {
    if (flat instanceof double[] d) {
      return d;
    }
    double[] out;
    if (flat instanceof float[] f) {
      out = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        out[i] = f[i];
      }
    } else if (flat instanceof long[] l) {
      out = Arrays.stream(l).asDoubleStream().toArray();
    } else if (flat instanceof int[] a) {
      out = Arrays.stream(a).asDoubleStream().toArray();
    } else if (flat instanceof short[] s) {
      out = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        out[i] = s[i];
      }
    } else if (flat instanceof byte[] b) {
      out = new double[b.length];
      for (int i = 0; i < b.length; i++) {
        out[i] = b[i];
      }
    } else {
      throw new DatasetFormatException(h5, path + " holds "
          + flat.getClass().getComponentType() + ", not numbers");
    }
    return out;
  }

  private static double number(Path file, String token, String where)
      throws DatasetFormatException {
    try {
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(file, "not a number '" + token + "' " + where, e);
    }
  }

  /** A growable byte buffer without the synchronisation of ByteArrayOutputStream. */
  private static final class ByteSink {
    private byte[] buf = new byte[1 << 16];
    private int size;

    void write(byte[] b) {
      if (size + b.length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
      }
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }
}
