package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxReaderTest {
  @TempDir Path tmp;

  private static Path mnist(String f) {
    return TestDatasets.file("mnist", f);
  }

  /** First picture read directly: 784 bytes after the 16-byte header. */
  private static byte[] firstPicture(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return Arrays.copyOfRange(in.readNBytes(16 + 784), 16, 16 + 784);
    }
  }

  @Test
  void readsRealTrainSet() throws IOException {
    ImageDataset ds = MnistIdxReader.read(mnist("train-images-idx3-ubyte.gz"),
        mnist("train-labels-idx1-ubyte.gz"), "mnist/train");
    assertThat(ds.count()).isEqualTo(60000);
    assertThat(ds.height()).isEqualTo(28);
    assertThat(ds.width()).isEqualTo(28);
    assertThat(ds.channels()).isEqualTo(1);
    assertThat(ds.labels()[0]).isEqualTo(5);
    assertThat(ds.picture(0)).isEqualTo(firstPicture(mnist("train-images-idx3-ubyte.gz")));
    assertThat(ds.pixel(0, 0, 0, 0)).isZero();
    assertThat(ds.classCounts())
        .containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
  }

  @Test
  void readsRealTestSet() throws IOException {
    ImageDataset ds = MnistIdxReader.read(mnist("t10k-images-idx3-ubyte.gz"),
        mnist("t10k-labels-idx1-ubyte.gz"), "mnist/test");
    assertThat(ds.count()).isEqualTo(10000);
    assertThat(ds.labels()[0]).isEqualTo(7);
    byte[] first = firstPicture(mnist("t10k-images-idx3-ubyte.gz"));
    assertThat(ds.picture(0)).isEqualTo(first);
    int sum = 0;
    for (byte b : first) {
      sum += b & 0xff;
    }
    assertThat(sum).isPositive();
    assertThat(ds.classCounts())
        .containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
  }

  @Test
  void readsRawUncompressedFiles() throws IOException {
    Path img = write("img", idx(2051, new int[] {2, 2, 3}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8,
        9, 10, 11, (byte) 255}), false);
    Path lab = write("lab.gz", idx(2049, new int[] {2}, new byte[] {3, 9}), false);
    ImageDataset ds = MnistIdxReader.read(img, lab, "raw");
    assertThat(ds.count()).isEqualTo(2);
    assertThat(ds.height()).isEqualTo(2);
    assertThat(ds.width()).isEqualTo(3);
    assertThat(ds.labels()).containsExactly(3, 9);
    assertThat(ds.pixel(1, 1, 2, 0)).isEqualTo(255);
  }

  @Test
  void gzipIsDetectedByMagicNotName() throws IOException {
    Path img = write("images.idx", idx(2051, new int[] {1, 1, 1}, new byte[] {42}), true);
    Path lab = write("labels.idx", idx(2049, new int[] {1}, new byte[] {4}), true);
    assertThat(MnistIdxReader.read(img, lab, "gz").pixel(0, 0, 0, 0)).isEqualTo(42);
  }

  @Test
  void rejectsTruncatedGzip() throws IOException {
    byte[] gz = Files.readAllBytes(mnist("t10k-labels-idx1-ubyte.gz"));
    Path lab = tmp.resolve("trunc.gz");
    Files.write(lab, Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> MnistIdxReader.read(mnist("t10k-images-idx3-ubyte.gz"), lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(lab + ": ");
  }

  @Test
  void rejectsCorruptGzip() throws IOException {
    Path img = tmp.resolve("bad.gz");
    Files.write(img, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    Path lab = write("lab", idx(2049, new int[] {1}, new byte[] {1}), false);
    assertThatThrownBy(() -> MnistIdxReader.read(img, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(img.toString());
  }

  @Test
  void rejectsWrongMagic() throws IOException {
    Path img = write("img", idx(2049, new int[] {1, 1, 1}, new byte[] {1}), false);
    Path lab = write("lab", idx(2049, new int[] {1}, new byte[] {1}), false);
    assertThatThrownBy(() -> MnistIdxReader.read(img, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage(img + ": magic number 2049, expected 2051");
  }

  @Test
  void rejectsLabelCountMismatch() throws IOException {
    Path img = write("img", idx(2051, new int[] {2, 1, 1}, new byte[] {1, 2}), false);
    Path lab = write("lab", idx(2049, new int[] {3}, new byte[] {1, 2, 3}), false);
    assertThatThrownBy(() -> MnistIdxReader.read(img, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("3 labels for 2 images");
  }

  @Test
  void rejectsTruncatedAndTrailingData() throws IOException {
    Path lab = write("lab", idx(2049, new int[] {2}, new byte[] {1, 2}), false);
    Path shortImg = write("short", idx(2051, new int[] {2, 2, 2}, new byte[7]), false);
    assertThatThrownBy(() -> MnistIdxReader.read(shortImg, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("truncated");
    Path longImg = write("long", idx(2051, new int[] {2, 2, 2}, new byte[9]), true);
    assertThatThrownBy(() -> MnistIdxReader.read(longImg, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("trailing bytes");
    Path headerOnly = tmp.resolve("header");
    Files.write(headerOnly, new byte[] {0, 0, 8, 3, 0});
    assertThatThrownBy(() -> MnistIdxReader.read(headerOnly, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("truncated header");
  }

  @Test
  void rejectsLabelsOutsideDigits() throws IOException {
    Path img = write("img", idx(2051, new int[] {1, 1, 1}, new byte[] {1}), false);
    Path lab = write("lab", idx(2049, new int[] {1}, new byte[] {10}), false);
    assertThatThrownBy(() -> MnistIdxReader.read(img, lab, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("label 10");
  }

  private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  private Path write(String name, byte[] content, boolean gzip) throws IOException {
    Path p = tmp.resolve(name);
    if (gzip) {
      try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(content);
      }
    } else {
      Files.write(p, content);
    }
    return p;
  }
}
