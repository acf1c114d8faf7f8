package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PictureFilesTest {

  private static ImageDataset pictures(int channels) {
    byte[] pixels = new byte[2 * 3 * 4 * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7 + 3);
    }
    return new ImageDataset("t", pixels, new int[] {0, 1}, 2, 3, 4, channels,
        List.of("a", "b"));
  }

  @Test
  void greyAndRgbPicturesComeBackWithTheirBytes() throws Exception {
    for (int channels : new int[] {1, 3}) {
      ImageDataset d = pictures(channels);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(PictureFiles.png(d, 1)));
      assertThat(img.getWidth()).isEqualTo(4);
      assertThat(img.getHeight()).isEqualTo(3);
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 4; x++) {
          for (int c = 0; c < channels; c++) {
            int expected = d.pixel(1, y, x, c);
            int actual = channels == 1 ? img.getRaster().getSample(x, y, 0)
                : img.getRGB(x, y) >> (16 - 8 * c) & 0xff;
            assertThat(actual).as("channels %d, (%d,%d,%d)", channels, y, x, c)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void aMissingPictureIsNamed() {
    assertThatThrownBy(() -> PictureFiles.png(pictures(1), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("picture 2 of t does not exist (2 pictures)");
  }
}
