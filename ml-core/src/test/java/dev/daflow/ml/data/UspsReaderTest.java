package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UspsReaderTest {
  @TempDir Path tmp;

  private static Path usps(String f) {
    return TestDatasets.file("usps", f);
  }

  @Test
  void readsRealTextFiles() throws IOException {
    ImageDataset train = UspsReader.readText(usps("zip.train.gz"), "usps/train");
    assertThat(train.count()).isEqualTo(7291);
    assertThat(train.height()).isEqualTo(16);
    assertThat(train.width()).isEqualTo(16);
    assertThat(train.channels()).isEqualTo(1);
    assertThat(train.labels()[0]).isEqualTo(6);
    // First line: 6.0000 -1.0000 x7 -0.6310 0.8620 ...
    assertThat(train.pixel(0, 0, 0, 0)).isZero();
    assertThat(train.pixel(0, 0, 7, 0)).isEqualTo(47); // (1 - 0.631) / 2 * 255 = 47.05
    assertThat(train.pixel(0, 0, 8, 0)).isEqualTo(237); // (1 + 0.862) / 2 * 255 = 237.4
    // Class counts published in zip.info.txt.
    assertThat(train.classCounts())
        .containsExactly(1194, 1005, 731, 658, 652, 556, 664, 645, 542, 644);
    ImageDataset test = UspsReader.readText(usps("zip.test.gz"), "usps/test");
    assertThat(test.count()).isEqualTo(2007);
    assertThat(test.labels()[0]).isEqualTo(9);
    assertThat(test.classCounts())
        .containsExactly(359, 264, 198, 166, 200, 160, 170, 147, 166, 177);
  }

  @Test
  void hdf5AndTextDistributionsAgree() throws IOException {
    for (String split : new String[] {"train", "test"}) {
      ImageDataset text = UspsReader.readText(usps("zip." + split + ".gz"), "text");
      ImageDataset h5 = UspsReader.readHdf5(usps("usps.h5"), split, "h5");
      assertThat(h5.count()).isEqualTo(text.count());
      assertThat(h5.height()).isEqualTo(16);
      assertThat(h5.labels()).isEqualTo(text.labels());
      int maxDiff = 0;
      for (int i = 0; i < text.pixels().length; i++) {
        maxDiff = Math.max(maxDiff,
            Math.abs((text.pixels()[i] & 0xff) - (h5.pixels()[i] & 0xff)));
      }
      assertThat(maxDiff).as("largest pixel difference, " + split).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void rejectsMalformedLinesNamingThem() throws IOException {
    String good = "3" + " 0.5".repeat(256) + "\n";
    Path shortLine = tmp.resolve("short.txt");
    Files.writeString(shortLine, good + "4" + " 0.5".repeat(200) + "\n");
    assertThatThrownBy(() -> UspsReader.readText(shortLine, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(shortLine + ": 201 values on line 2");
    Path badLabel = tmp.resolve("label.txt");
    Files.writeString(badLabel, "10.0000" + " 0.5".repeat(256) + "\n");
    assertThatThrownBy(() -> UspsReader.readText(badLabel, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("label 10.0 on line 1");
    Path badValue = tmp.resolve("value.txt");
    Files.writeString(badValue, good + "1" + " 0.5".repeat(255) + " 1.7\n");
    assertThatThrownBy(() -> UspsReader.readText(badValue, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("on line 2");
    Path notNumber = tmp.resolve("nan.txt");
    Files.writeString(notNumber, "1" + " x".repeat(256) + "\n");
    assertThatThrownBy(() -> UspsReader.readText(notNumber, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("not a number 'x' on line 1");
  }

  @Test
  void readsPlainTextAndMapsRange() throws IOException {
    Path f = tmp.resolve("plain");
    Files.writeString(f, "2.0000 -1" + " 0".repeat(254) + " 1 \n\n");
    ImageDataset ds = UspsReader.readText(f, "plain");
    assertThat(ds.count()).isEqualTo(1);
    assertThat(ds.labels()).containsExactly(2);
    assertThat(ds.pixel(0, 0, 0, 0)).isZero();
    assertThat(ds.pixel(0, 0, 1, 0)).isEqualTo(128); // 127.5 rounds up
    assertThat(ds.pixel(0, 15, 15, 0)).isEqualTo(255);
  }

  @Test
  void rejectsTruncatedGzip() throws IOException {
    byte[] gz = Files.readAllBytes(usps("zip.test.gz"));
    Path f = tmp.resolve("zip.test.gz");
    Files.write(f, Arrays.copyOf(gz, gz.length - 1000));
    assertThatThrownBy(() -> UspsReader.readText(f, "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(f + ": ");
  }

  @Test
  void rejectsTruncatedHdf5() throws IOException {
    byte[] h5 = Files.readAllBytes(usps("usps.h5"));
    Path f = tmp.resolve("usps.h5");
    Files.write(f, Arrays.copyOf(h5, h5.length / 3));
    assertThatThrownBy(() -> UspsReader.readHdf5(f, "train", "x"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(f + ": ");
    Path g = tmp.resolve("garbage.h5");
    Files.writeString(g, "not an HDF5 file");
    assertThatThrownBy(() -> UspsReader.readHdf5(g, "test", "x"))
        .isInstanceOf(DatasetFormatException.class);
  }

  @Test
  void rejectsUnknownSplit() {
    assertThatThrownBy(() -> UspsReader.readHdf5(usps("usps.h5"), "valid", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
