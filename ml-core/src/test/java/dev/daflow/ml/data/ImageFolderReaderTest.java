package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
  @TempDir Path tmp;

  /** An RGB picture whose pixel (y, x) is (seed, 10*y, x) plus alpha 0x80 for ARGB types. */
  private static Path png(Path file, int type, int h, int w, int seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
          img.getRaster().setSample(x, y, 0, seed + y * w + x);
        } else {
          img.setRGB(x, y, 0x80 << 24 | seed << 16 | (10 * y) << 8 | x);
        }
      }
    }
    Files.createDirectories(file.getParent());
    assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    return file;
  }

  @Test
  void readsClassFoldersInSortedOrder() throws IOException {
    png(tmp.resolve("cat/2.png"), BufferedImage.TYPE_INT_RGB, 3, 4, 12);
    png(tmp.resolve("cat/1.png"), BufferedImage.TYPE_INT_RGB, 3, 4, 11);
    png(tmp.resolve("ant/a.PNG"), BufferedImage.TYPE_INT_ARGB, 3, 4, 99);
    Files.writeString(tmp.resolve("cat/README.txt"), "not a picture, ignored");
    Files.createDirectories(tmp.resolve("dog"));
    ImageDataset ds = ImageFolderReader.readClassFolders(tmp, "pets");
    assertThat(ds.classNames()).containsExactly("ant", "cat", "dog");
    assertThat(ds.count()).isEqualTo(3);
    assertThat(ds.labels()).containsExactly(0, 1, 1);
    assertThat(ds.channels()).isEqualTo(3);
    assertThat(ds.height()).isEqualTo(3);
    assertThat(ds.width()).isEqualTo(4);
    assertThat(ds.pixel(0, 0, 0, 0)).isEqualTo(99); // alpha dropped, colour kept
    assertThat(ds.pixel(1, 0, 0, 0)).isEqualTo(11);
    assertThat(ds.pixel(2, 2, 3, 0)).isEqualTo(12);
    assertThat(ds.pixel(2, 2, 3, 1)).isEqualTo(20);
    assertThat(ds.pixel(2, 2, 3, 2)).isEqualTo(3);
  }

  @Test
  void greyPicturesGiveOneChannelWithExactValues() throws IOException {
    png(tmp.resolve("0/a.png"), BufferedImage.TYPE_BYTE_GRAY, 5, 6, 100);
    ImageDataset ds = ImageFolderReader.readClassFolders(tmp, "grey");
    assertThat(ds.channels()).isEqualTo(1);
    for (int i = 0; i < 30; i++) {
      assertThat(ds.pixels()[i] & 0xff).isEqualTo(100 + i);
    }
  }

  @Test
  void rejectsMixedSizesNamingTheFile() throws IOException {
    png(tmp.resolve("a/1.png"), BufferedImage.TYPE_INT_RGB, 3, 4, 1);
    Path odd = png(tmp.resolve("b/1.png"), BufferedImage.TYPE_INT_RGB, 4, 4, 1);
    assertThatThrownBy(() -> ImageFolderReader.readClassFolders(tmp, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage(odd + ": picture is 4x4x3, the others are 3x4x3");
  }

  @Test
  void rejectsMixedChannels() throws IOException {
    png(tmp.resolve("a/1.png"), BufferedImage.TYPE_INT_RGB, 3, 4, 1);
    Path grey = png(tmp.resolve("a/2.png"), BufferedImage.TYPE_BYTE_GRAY, 3, 4, 1);
    assertThatThrownBy(() -> ImageFolderReader.readClassFolders(tmp, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(grey + ": picture is 3x4x1");
  }

  @Test
  void rejectsCorruptPictureNamingIt() throws IOException {
    png(tmp.resolve("a/1.png"), BufferedImage.TYPE_INT_RGB, 3, 4, 1);
    Path bad = tmp.resolve("a/2.png");
    Files.writeString(bad, "definitely not a PNG");
    assertThatThrownBy(() -> ImageFolderReader.readClassFolders(tmp, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(bad + ": ");
    // A real PNG cut short.
    byte[] good = Files.readAllBytes(tmp.resolve("a/1.png"));
    Files.write(bad, java.util.Arrays.copyOf(good, 40));
    assertThatThrownBy(() -> ImageFolderReader.readClassFolders(tmp, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(bad + ": ");
  }

  @Test
  void rejectsFolderWithoutClasses() throws IOException {
    Files.writeString(tmp.resolve("x.png"), "");
    assertThatThrownBy(() -> ImageFolderReader.readClassFolders(tmp, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("no class sub-folders");
  }

  @Test
  void readsMnistMInLabelsFileOrder() throws IOException {
    Path images = tmp.resolve("mnist_m_train");
    png(images.resolve("00000000.png"), BufferedImage.TYPE_3BYTE_BGR, 28, 28, 5);
    png(images.resolve("00000001.png"), BufferedImage.TYPE_3BYTE_BGR, 28, 28, 7);
    Path labels = tmp.resolve("mnist_m_train_labels.txt");
    Files.writeString(labels, "00000001.png 0\n00000000.png 5\n\n");
    ImageDataset ds = ImageFolderReader.readMnistM(images, labels, "mnist-m/train");
    assertThat(ds.count()).isEqualTo(2);
    assertThat(ds.labels()).containsExactly(0, 5);
    assertThat(ds.classNames()).isEqualTo(ImageDataset.DIGITS);
    assertThat(ds.height()).isEqualTo(28);
    assertThat(ds.channels()).isEqualTo(3);
    assertThat(ds.pixel(0, 0, 0, 0)).isEqualTo(7);
    assertThat(ds.pixel(1, 0, 0, 0)).isEqualTo(5);
    assertThat(ds.pixel(1, 27, 27, 1)).isEqualTo(270 & 0xff);
  }

  @Test
  void rejectsMalformedMnistMLinesWithTheirNumber() throws IOException {
    Path images = tmp.resolve("img");
    png(images.resolve("a.png"), BufferedImage.TYPE_INT_RGB, 28, 28, 1);
    Path labels = tmp.resolve("labels.txt");
    Files.writeString(labels, "a.png 1\na.png\n");
    assertThatThrownBy(() -> ImageFolderReader.readMnistM(images, labels, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(labels + ": line 2 is not 'NAME LABEL'");
    Files.writeString(labels, "a.png 12\n");
    assertThatThrownBy(() -> ImageFolderReader.readMnistM(images, labels, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("line 1");
  }

  @Test
  void rejectsMissingMnistMPicture() throws IOException {
    Path images = tmp.resolve("img");
    png(images.resolve("a.png"), BufferedImage.TYPE_INT_RGB, 28, 28, 1);
    Path labels = tmp.resolve("labels.txt");
    Files.writeString(labels, "a.png 1\nb.png 2\n");
    assertThatThrownBy(() -> ImageFolderReader.readMnistM(images, labels, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("line 2 names a missing picture")
        .hasMessageContaining("b.png");
  }
}
