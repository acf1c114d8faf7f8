package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

class SvhnMatReaderTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"train_32x32, 300", "test_32x32, 100"})
  void decodesExactlyAsTheSidecars(String stem, int count) throws IOException {
    Path dir = TestDatasets.root().resolve("svhn-format");
    ImageDataset ds = SvhnMatReader.read(dir.resolve(stem + ".mat"), "svhn");
    assertThat(ds.count()).isEqualTo(count);
    assertThat(ds.height()).isEqualTo(32);
    assertThat(ds.width()).isEqualTo(32);
    assertThat(ds.channels()).isEqualTo(3);
    assertThat(ds.pixels()).isEqualTo(Files.readAllBytes(dir.resolve(stem + ".images.u8")));
    byte[] expectedLabels = Files.readAllBytes(dir.resolve(stem + ".labels.u8"));
    int[] expected = new int[expectedLabels.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = expectedLabels[i];
    }
    assertThat(ds.labels()).containsExactly(expected);
  }

  @Test
  void mapsLabelTenToDigitZero() throws IOException {
    Path mat = TestDatasets.file("svhn-format", "test_32x32.mat");
    ImageDataset ds = SvhnMatReader.read(mat, "svhn");
    int tens = 0;
    try (MatFile file = Mat5.readFromFile(mat.toFile())) {
      Matrix y = file.getMatrix("y");
      for (int i = 0; i < ds.count(); i++) {
        double v = y.getDouble(i);
        assertThat(ds.labels()[i]).isEqualTo((int) v % 10);
        if (v == 10) {
          tens++;
          assertThat(ds.labels()[i]).isZero();
        }
      }
    }
    assertThat(tens).as("the file has some 10s").isPositive();
  }

  @Test
  void convertsColumnMajorToRowMajorHwc() throws IOException {
    Matrix x = Mat5.newMatrix(new int[] {4, 5, 3, 2}, MatlabType.UInt8);
    x.setLong(new int[] {1, 2, 0, 0}, 200); // row 1, col 2, red, picture 0
    x.setLong(new int[] {3, 4, 2, 1}, 7); // row 3, col 4, blue, picture 1
    Matrix y = Mat5.newMatrix(2, 1);
    y.setDouble(0, 10);
    y.setDouble(1, 3);
    ImageDataset ds = SvhnMatReader.read(write(x, y), "small");
    assertThat(ds.height()).isEqualTo(4);
    assertThat(ds.width()).isEqualTo(5);
    assertThat(ds.pixel(0, 1, 2, 0)).isEqualTo(200);
    assertThat(ds.pixel(1, 3, 4, 2)).isEqualTo(7);
    int sum = 0;
    for (byte b : ds.pixels()) {
      sum += b & 0xff;
    }
    assertThat(sum).isEqualTo(207);
    assertThat(ds.labels()).containsExactly(0, 3);
  }

  @Test
  void rejectsDoubleX() throws IOException {
    Path f = write(Mat5.newMatrix(new int[] {32, 32, 3, 2}), labels(2, 1));
    assertThatThrownBy(() -> SvhnMatReader.read(f, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage(f + ": X must be real uint8, is double");
  }

  @Test
  void rejectsWrongDimensions() throws IOException {
    Path f = write(Mat5.newMatrix(new int[] {32, 32, 2}, MatlabType.UInt8), labels(2, 1));
    assertThatThrownBy(() -> SvhnMatReader.read(f, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("X must have shape (H,W,3,N)");
    Path g = write(Mat5.newMatrix(new int[] {32, 32, 4, 2}, MatlabType.UInt8), labels(2, 1));
    assertThatThrownBy(() -> SvhnMatReader.read(g, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("[32, 32, 4, 2]");
  }

  @Test
  void rejectsLabelCountMismatchAndBadLabels() throws IOException {
    Path f = write(Mat5.newMatrix(new int[] {8, 8, 3, 3}, MatlabType.UInt8), labels(2, 1));
    assertThatThrownBy(() -> SvhnMatReader.read(f, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("y must be a real (3,1) vector");
    Path g = write(Mat5.newMatrix(new int[] {8, 8, 3, 2}, MatlabType.UInt8), labels(2, 11));
    assertThatThrownBy(() -> SvhnMatReader.read(g, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("y(1) = 11.0 is outside 1..10");
    Path h = write(Mat5.newMatrix(new int[] {8, 8, 3, 2}, MatlabType.UInt8), labels(2, 0));
    assertThatThrownBy(() -> SvhnMatReader.read(h, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("outside 1..10");
  }

  @Test
  void rejectsMissingVariable() throws IOException {
    Path f = tmp.resolve("noy.mat");
    Mat5.writeToFile(Mat5.newMatFile()
        .addArray("X", Mat5.newMatrix(new int[] {8, 8, 3, 1}, MatlabType.UInt8)), f.toFile());
    assertThatThrownBy(() -> SvhnMatReader.read(f, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage(f + ": no variable y");
  }

  @Test
  void rejectsTruncatedAndNonMatFiles() throws IOException {
    byte[] real = Files.readAllBytes(TestDatasets.file("svhn-format", "test_32x32.mat"));
    Path truncated = tmp.resolve("truncated.mat");
    Files.write(truncated, Arrays.copyOf(real, real.length / 2));
    assertThatThrownBy(() -> SvhnMatReader.read(truncated, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(truncated + ": ");
    Path text = tmp.resolve("text.mat");
    Files.writeString(text, "this is not a MAT file\n".repeat(20));
    assertThatThrownBy(() -> SvhnMatReader.read(text, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(text + ": ");
  }

  private static Matrix labels(int n, double value) {
    Matrix y = Mat5.newMatrix(n, 1);
    for (int i = 0; i < n; i++) {
      y.setDouble(i, value);
    }
    return y;
  }

  private Path write(Matrix x, Matrix y) throws IOException {
    Path f = Files.createTempFile(tmp, "svhn", ".mat");
    Mat5.writeToFile(Mat5.newMatFile().addArray("X", x).addArray("y", y), f.toFile());
    return f;
  }
}
