package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransformsTest {
  private static ImageDataset grey2x2() {
    return new ImageDataset("t", new byte[] {0, 100, (byte) 200, (byte) 255}, new int[] {0}, 1,
        2, 2, 1, List.of("a"));
  }

  @Test
  void upsamplesWithHalfPixelCentres() {
    ImageDataset r = Transforms.resize(grey2x2(), 4, 4);
    int[] expected = {
        0, 25, 75, 100,
        50, 72, 117, 139,
        150, 167, 200, 216,
        200, 214, 241, 255};
    int[] actual = new int[16];
    for (int i = 0; i < 16; i++) {
      actual[i] = r.pixels()[i] & 0xff;
    }
    assertThat(actual).containsExactly(expected);
    assertThat(r.height()).isEqualTo(4);
    assertThat(r.width()).isEqualTo(4);
  }

  @Test
  void downsamplingToOnePixelAveragesTheFour() {
    // (0 + 100 + 200 + 255) / 4 = 138.75
    assertThat(Transforms.resize(grey2x2(), 1, 1).pixel(0, 0, 0, 0)).isEqualTo(139);
  }

  @Test
  void greyRgbRoundTripIsExact() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    ImageDataset grey = new ImageDataset("g", all, new int[] {0}, 1, 16, 16, 1, List.of("a"));
    ImageDataset rgb = Transforms.toRgb(grey);
    assertThat(rgb.channels()).isEqualTo(3);
    assertThat(rgb.pixel(0, 3, 5, 0)).isEqualTo(3 * 16 + 5);
    assertThat(rgb.pixel(0, 3, 5, 2)).isEqualTo(3 * 16 + 5);
    assertThat(Transforms.toGrey(rgb).pixels()).isEqualTo(all);
    assertThat(Transforms.toChannels(grey, 1)).isSameAs(grey);
  }

  @Test
  void greyUsesBt601Weights() {
    ImageDataset red = new ImageDataset("r", new byte[] {(byte) 255, 0, 0}, new int[] {0}, 1, 1,
        1, 3, List.of("a"));
    assertThat(Transforms.toGrey(red).pixel(0, 0, 0, 0)).isEqualTo(76); // 0.299 * 255 = 76.2
  }
}
