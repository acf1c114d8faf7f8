package dev.daflow.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Source;
import us.hebi.matlab.mat.types.Sources;

/**
 * Reads SVHN's cropped-digit MAT files ({@code train_32x32.mat}, {@code test_32x32.mat},
 * {@code extra_32x32.mat}) with the MAT File Library (MFL).
 *
 * <p>Layout: a MATLAB 5 MAT-file holding {@code X}, {@code uint8} of shape {@code (H,W,3,N)}
 * stored column-major, and {@code y}, numeric of shape {@code (N,1)} with labels 1..10 where 10
 * stands for the digit 0. The result is row-major HWC RGB with labels 0..9. Any other type, shape
 * or label raises {@link DatasetFormatException}.
 */
public final class SvhnMatReader {
  private SvhnMatReader() {}

  /**
   * Reads one SVHN MAT file.
   *
   * @param matFile the {@code .mat} file
   * @param name the dataset name, e.g. {@code svhn/train}
   * @return RGB pictures with labels in {@link ImageDataset#DIGITS}
   * @throws DatasetFormatException if the file is not a valid SVHN MAT file
   * @throws IOException if the file cannot be read
   */
  public static ImageDataset read(Path matFile, String name) throws IOException {
    if (!Files.isReadable(matFile)) {
      throw new NoSuchFileException(matFile.toString());
    }
    try (Source source = Sources.openFile(matFile.toFile());
        MatFile mat = Mat5.newReader(source).readMat()) {
      Matrix x = matrix(matFile, mat, "X");
      Matrix y = matrix(matFile, mat, "y");
      int[] dims = x.getDimensions();
      if (x.getType() != MatlabType.UInt8 || x.isLogical() || x.isComplex()) {
        throw new DatasetFormatException(matFile, "X must be real uint8, is "
            + (x.isComplex() ? "complex " : "") + (x.isLogical() ? "logical" : x.getType()));
      }
      if (dims.length != 4 || dims[2] != 3) {
        throw new DatasetFormatException(matFile, "X must have shape (H,W,3,N), has "
            + Arrays.toString(dims));
      }
      int h = dims[0];
      int w = dims[1];
      int n = dims[3];
      return new ImageDataset(name, pixels(x, h, w, n), labels(matFile, y, n), n, h, w, 3,
          ImageDataset.DIGITS);
    } catch (DatasetFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DatasetFormatException(matFile, "not a readable MAT file: " + e, e);
    }
  }

  private static Matrix matrix(Path file, MatFile mat, String var) throws DatasetFormatException {
    for (MatFile.Entry e : mat.getEntries()) {
      if (e.getName().equals(var)) {
        Array a = e.getValue();
        if (!(a instanceof Matrix m) || a.getType() == MatlabType.Character) {
          throw new DatasetFormatException(file, "variable " + var + " is a " + a.getType()
              + ", not a numeric matrix");
        }
        return m;
      }
    }
    throw new DatasetFormatException(file, "no variable " + var);
  }

  /** Column-major (H,W,3,N) to row-major N x H x W x 3, reading X sequentially. */
  private static byte[] pixels(Matrix x, int h, int w, int n) {
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(h * w, 3), n)];
    int plane = h * w;
    int picture = plane * 3;
    int lin = 0;
    for (int i = 0; i < n; i++) {
      int base = i * picture;
      for (int c = 0; c < 3; c++) {
        for (int col = 0; col < w; col++) {
          for (int row = 0; row < h; row++) {
            // getLong, not getByte: MFL's getByte range-checks as signed int8.
            out[base + (row * w + col) * 3 + c] = (byte) x.getLong(lin++);
          }
        }
      }
    }
    return out;
  }

  private static int[] labels(Path file, Matrix y, int n) throws DatasetFormatException {
    int[] dims = y.getDimensions();
    if (y.isComplex() || y.isLogical() || dims.length != 2 || y.getNumElements() != n
        || (dims[0] != n && dims[1] != n)) {
      throw new DatasetFormatException(file, "y must be a real (" + n + ",1) vector, is "
          + (y.isComplex() ? "complex " : "") + y.getType() + " " + Arrays.toString(dims));
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double v = y.getDouble(i);
      if (v != Math.rint(v) || v < 1 || v > 10) {
        throw new DatasetFormatException(file, "label y(" + (i + 1) + ") = " + v
            + " is outside 1..10");
      }
      labels[i] = (int) v % 10;
    }
    return labels;
  }
}
