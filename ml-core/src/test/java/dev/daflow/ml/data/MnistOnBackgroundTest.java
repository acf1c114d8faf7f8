package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MnistOnBackgroundTest {
  private static ImageDataset digits;
  private static BufferedImage lena;
  private static MnistOnBackground generator;

  @BeforeAll
  static void load() throws IOException {
    digits = MnistIdxReader.read(TestDatasets.file("mnist", "t10k-images-idx3-ubyte.gz"),
        TestDatasets.file("mnist", "t10k-labels-idx1-ubyte.gz"), "mnist/test").slice(0, 40);
    lena = ImageIO.read(TestDatasets.file("adda-mnist64", "lena.jpg").toFile());
    generator = new MnistOnBackground(lena);
  }

  @Test
  void generates64x64RgbWithTheDigitsLabels() {
    ImageDataset ds = generator.generate(digits, 1, "bg");
    assertThat(ds.count()).isEqualTo(40);
    assertThat(ds.height()).isEqualTo(64);
    assertThat(ds.width()).isEqualTo(64);
    assertThat(ds.channels()).isEqualTo(3);
    assertThat(ds.labels()).isEqualTo(digits.labels());
    assertThat(ds.name()).isEqualTo("bg");
  }

  @Test
  void isDeterministicPerSeed() {
    ImageDataset a = generator.generate(digits, 7, "a");
    assertThat(new MnistOnBackground(lena).generate(digits, 7, "b").pixels())
        .isEqualTo(a.pixels());
    assertThat(generator.generate(digits, 8, "c").pixels()).isNotEqualTo(a.pixels());
  }

  @Test
  void sliceIsGeneratedAsWithinTheWhole() {
    ImageDataset all = generator.generate(digits, 3, "all");
    ImageDataset part = generator.generate(digits.slice(10, 25), 3, "part", 10);
    assertThat(part.pixels()).isEqualTo(all.slice(10, 25).pixels());
    // Without the offset the pictures differ: randomness follows the index.
    assertThat(generator.generate(digits.slice(10, 25), 3, "p").pixels())
        .isNotEqualTo(part.pixels());
  }

  @Test
  void digitPixelsInvertTheShiftedBackground() {
    int index = 0;
    long seed = 5;
    ImageDataset ds = generator.generate(digits, seed, "x");
    ImageDataset zoomed = MnistOnBackground.zoomed(digits.slice(index, index + 1), "z");
    MnistOnBackground.Draw d = generator.draw(seed, index);
    assertThat(d.top()).isBetween(0, lena.getHeight() - 64);
    assertThat(d.left()).isBetween(0, lena.getWidth() - 64);
    int on = 0;
    int off = 0;
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int rgb = lena.getRGB(d.left() + x, d.top() + y);
        boolean digit = zoomed.pixel(0, y, x, 0) > 127; // > 0.5 after scaling by 1/255
        for (int c = 0; c < 3; c++) {
          int b = (rgb >> (16 - 8 * c)) & 0xff;
          double shifted = (b / 255.0 + d.shift()[c]) / 2 * 255;
          int expected = (int) Math.round(digit ? 255 - shifted : shifted);
          assertThat(ds.pixel(index, y, x, c)).isBetween(expected - 1, expected + 1);
        }
        if (digit) {
          on++;
        } else {
          off++;
        }
      }
    }
    assertThat(on).as("digit pixels").isGreaterThan(100);
    assertThat(off).as("background pixels").isGreaterThan(1000);
  }

  @Test
  void drawsDifferForDifferentPictures() {
    MnistOnBackground.Draw a = generator.draw(1, 0);
    MnistOnBackground.Draw b = generator.draw(1, 1);
    assertThat(a.shift()).isNotEqualTo(b.shift());
    for (double u : a.shift()) {
      assertThat(u).isBetween(0.0, 1.0);
    }
  }

  @Test
  void zoomedIsBilinearGreyReplicatedToRgb() {
    ImageDataset z = MnistOnBackground.zoomed(digits, "mnist64");
    ImageDataset expected = Transforms.resize(digits, 64, 64);
    assertThat(z.name()).isEqualTo("mnist64");
    assertThat(z.channels()).isEqualTo(3);
    assertThat(z.height()).isEqualTo(64);
    for (int i = 0; i < 64 * 64; i += 97) {
      int v = expected.pixels()[i] & 0xff;
      assertThat(z.pixels()[3 * i] & 0xff).isEqualTo(v);
      assertThat(z.pixels()[3 * i + 2] & 0xff).isEqualTo(v);
    }
    // Not binarised: intermediate grey levels survive.
    long intermediate = 0;
    for (byte b : z.pixels()) {
      int v = b & 0xff;
      if (v > 20 && v < 235) {
        intermediate++;
      }
    }
    assertThat(intermediate).isPositive();
  }
}
