package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FramingTest {
  /** A 16x16 picture whose "digit" is a solid bar filling rows 0..15 and columns 4..11. */
  private static ImageDataset uspsLikeBar() {
    byte[] p = new byte[16 * 16];
    for (int y = 0; y < 16; y++) {
      for (int x = 4; x < 12; x++) {
        p[y * 16 + x] = (byte) 255;
      }
    }
    return new ImageDataset("bar", p, new int[] {1}, 1, 16, 16, 1, ImageDataset.DIGITS);
  }

  private static int[] inkBox(ImageDataset d) {
    int top = 99;
    int bottom = -1;
    int left = 99;
    int right = -1;
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        if (d.pixel(0, y, x, 0) > 64) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    return new int[] {top, bottom, left, right};
  }

  @Test
  void digitBoxPutsAFrameFillingDigitInMnistsTwentyPixelBoxCentred() {
    ImageDataset framed = Framing.DIGIT_BOX.apply(uspsLikeBar(), 28, 28);
    int[] box = inkBox(framed);
    // 16 rows -> 20 rows, 8 columns -> 10 columns, centred in 28x28.
    assertThat(box).containsExactly(4, 23, 9, 18);
    assertThat(framed.labels()).containsExactly(1);
  }

  @Test
  void resizeStretchesTheDigitToTheWholeFrame() {
    int[] box = inkBox(Framing.RESIZE.apply(uspsLikeBar(), 28, 28));
    assertThat(box[1] - box[0] + 1).isEqualTo(28);
  }

  @Test
  void aBlankPictureStaysBlank() {
    ImageDataset blank = new ImageDataset("blank", new byte[16 * 16], new int[] {0}, 1, 16, 16, 1,
        ImageDataset.DIGITS);
    ImageDataset framed = Framing.DIGIT_BOX.apply(blank, 28, 28);
    assertThat(framed.pixels()).hasSize(28 * 28).containsOnly((byte) 0);
  }

  @Test
  void digitBoxRefusesColourPictures() {
    ImageDataset rgb = new ImageDataset("rgb", new byte[4 * 4 * 3], new int[] {0}, 1, 4, 4, 3,
        List.of("a"));
    assertThatThrownBy(() -> Framing.DIGIT_BOX.apply(rgb, 28, 28))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grey");
  }
}
