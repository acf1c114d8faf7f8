package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Augmentation;
import dev.daflow.ml.data.Framing;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.nn.InputShape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  private static final InputShape SHAPE = new InputShape(3, 2, 2);
  private static final Preprocessing PRE = new Preprocessing(SHAPE, Framing.RESIZE, Scaling.UNIT,
      new float[] {0.2f, 0.4f, 0.6f}, new float[] {0.5f, 0.25f, 0.1f});

  /** Four pictures of standardised values of bytes 0, 85, 170, 255 in every channel. */
  private static float[] pictures() {
    float[] p = new float[4 * SHAPE.size()];
    int[] bytes = {0, 85, 170, 255};
    for (int k = 0; k < 4; k++) {
      for (int ch = 0; ch < 3; ch++) {
        for (int i = 0; i < 4; i++) {
          p[k * 12 + ch * 4 + i] = (bytes[i] / 255f - PRE.mean()[ch]) / PRE.std()[ch];
        }
      }
    }
    return p;
  }

  @Test
  void noneLeavesPicturesAsTheyAre() {
    float[] p = pictures();
    Augmenter.apply(Augmentation.NONE, PRE, p, 0, 4, 42, 7);
    assertThat(p).containsExactly(pictures());
  }

  @Test
  void colourIsAFunctionOfSeedAndIterationAndOnlyTouchesTheGivenRows() {
    float[] a = pictures();
    float[] b = pictures();
    float[] c = pictures();
    Augmenter.apply(Augmentation.COLOUR, PRE, a, 1, 2, 42, 7);
    Augmenter.apply(Augmentation.COLOUR, PRE, b, 1, 2, 42, 7);
    Augmenter.apply(Augmentation.COLOUR, PRE, c, 1, 2, 42, 8);
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    float[] plain = pictures();
    // Rows 0 and 3 are outside the augmented range.
    assertThat(Arrays.copyOfRange(a, 0, 12)).containsExactly(Arrays.copyOfRange(plain, 0, 12));
    assertThat(Arrays.copyOfRange(a, 36, 48)).containsExactly(Arrays.copyOfRange(plain, 36, 48));
    assertThat(Arrays.copyOfRange(a, 12, 36)).isNotEqualTo(Arrays.copyOfRange(plain, 12, 36));
  }

  @Test
  void colourKeepsValuesInRangeAndInvertsAboutHalfThePictures() {
    int pictures = 400;
    float[] p = new float[pictures * SHAPE.size()];
    for (int k = 0; k < pictures; k++) {
      System.arraycopy(pictures(), 0, p, k * 12, 12);
    }
    Augmenter.apply(Augmentation.COLOUR, PRE, p, 0, pictures, 1, 0);
    int inverted = 0;
    for (int k = 0; k < pictures; k++) {
      for (int ch = 0; ch < 3; ch++) {
        float[] x = new float[4];
        for (int i = 0; i < 4; i++) {
          // Back to scaled units: every value stays in [0, 1].
          x[i] = p[k * 12 + ch * 4 + i] * PRE.std()[ch] + PRE.mean()[ch];
          assertThat(x[i]).isBetween(-1e-5f, 1 + 1e-5f);
        }
        // Contrast at least 0.3 of the range, in one direction for all channels of a picture.
        assertThat(Math.abs(x[3] - x[0])).isGreaterThan(0.29f);
        if (ch == 0 && x[3] < x[0]) {
          inverted++;
        }
      }
    }
    assertThat(inverted).isBetween(160, 240);
  }
}
