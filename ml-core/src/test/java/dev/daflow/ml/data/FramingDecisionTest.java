package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.ml.fixtures.Digits;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The digit box only where its assumption (light ink on a dark, plain background) holds for every
 * domain of a pair, decided from the pictures.
 */
class FramingDecisionTest {

  /** {@code n} 16x16 grey pictures: a bright bar on black, or the same bar on random texture. */
  private static ImageDataset pictures(String name, int n, boolean textured, long seed) {
    int side = 16;
    byte[] px = new byte[n * side * side];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int v = textured ? 60 + r.nextInt(150) : 0;
          if (x >= 6 && x <= 9 && y >= 3 && y <= 12) {
            v = 255; // the "digit"
          }
          px[i * side * side + y * side + x] = (byte) v;
        }
      }
    }
    return new ImageDataset(name, px, new int[n], n, side, side, 1, ImageDataset.DIGITS);
  }

  @Test
  void plainDarkPairsGetTheDigitBox() {
    FramingDecision d = FramingDecision.decide(Framing.DIGIT_BOX, 1,
        pictures("a", 50, false, 1), pictures("b", 50, false, 2));
    assertThat(d.framing()).isEqualTo(Framing.DIGIT_BOX);
    assertThat(d.evidence()).extracting(FramingDecision.DomainEvidence::plainDarkShare)
        .containsExactly(1.0, 1.0);
  }

  @Test
  void oneTexturedDomainMakesTheWholePairResize() {
    FramingDecision d = FramingDecision.decide(Framing.DIGIT_BOX, 1,
        pictures("plain", 50, false, 1), pictures("textured", 50, true, 2));
    assertThat(d.framing()).isEqualTo(Framing.RESIZE);
    assertThat(d.reason()).contains("textured (0% of 50 pictures)").doesNotContain("plain (");
    assertThat(d.evidence()).extracting(FramingDecision.DomainEvidence::dataset)
        .containsExactly("plain", "textured");
  }

  @Test
  void networksThatResizeOrReadColourNeverGetTheDigitBox() {
    ImageDataset plain = pictures("plain", 10, false, 1);
    assertThat(FramingDecision.decide(Framing.RESIZE, 1, plain).framing())
        .isEqualTo(Framing.RESIZE);
    FramingDecision colour = FramingDecision.decide(Framing.DIGIT_BOX, 3, plain);
    assertThat(colour.framing()).isEqualTo(Framing.RESIZE);
    assertThat(colour.reason()).contains("grey");
  }

  @Test
  void aSourceOnlyJobLooksAtItsOneDomain() {
    FramingDecision d = FramingDecision.decide(Framing.DIGIT_BOX, 1,
        pictures("plain", 10, false, 1), null);
    assertThat(d.framing()).isEqualTo(Framing.DIGIT_BOX);
    assertThat(d.evidence()).hasSize(1);
  }

  /** The pairs the digit box was made for keep it: real MNIST and USPS pictures. */
  @Test
  void mnistAndUspsKeepTheDigitBox() {
    FramingDecision d = FramingDecision.decide(Framing.DIGIT_BOX, 1, Digits.mnistTrain(3000),
        Digits.uspsTrain(3000));
    System.out.println("mnist/usps: " + d);
    assertThat(d.framing()).isEqualTo(Framing.DIGIT_BOX);
    assertThat(d.evidence()).allMatch(e -> e.sampled() == 2000);
  }

  /** Real digits over coloured photographs (the MNIST-64 demo's target) are resized. */
  @Test
  void digitsOverPhotographsAreResized() throws Exception {
    ImageDataset bg = Digits.catalog().load("mnist64-bg", DatasetSource.Split.TEST).slice(0, 500);
    FramingDecision d = FramingDecision.decide(Framing.DIGIT_BOX, 1, Digits.mnistTrain(500), bg);
    System.out.println("mnist/mnist64-bg: " + d);
    assertThat(d.framing()).isEqualTo(Framing.RESIZE);
    assertThat(d.evidence().get(1).plainDarkShare()).isLessThan(FramingDecision.MIN_PLAIN_SHARE);
    assertThat(List.of(d.reason())).allMatch(r -> r.contains("mnist64-bg"));
  }
}
