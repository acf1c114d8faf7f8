package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SourceHoldoutTest {

  /** 50 one-pixel pictures whose pixel and label tell their index. */
  private static ImageDataset numbered() {
    int n = 50;
    byte[] pixels = new byte[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      pixels[i] = (byte) i;
      labels[i] = i % 10;
    }
    return new ImageDataset("d/train", pixels, labels, n, 1, 1, 1, ImageDataset.DIGITS);
  }

  @Test
  void aSeededDeterministicSampleOfTheAskedSize() {
    int[] a = SourceHoldout.indices(1000, 0.1, 7);
    assertThat(a).hasSize(100).isSorted().doesNotHaveDuplicates();
    assertThat(a[0]).isGreaterThanOrEqualTo(0);
    assertThat(a[a.length - 1]).isLessThan(1000);
    assertThat(SourceHoldout.indices(1000, 0.1, 7)).containsExactly(a);
    assertThat(SourceHoldout.indices(1000, 0.1, 8)).isNotEqualTo(a);
    // Spread over the split, not its first pictures.
    assertThat(a[a.length - 1]).isGreaterThan(500);
    assertThat(SourceHoldout.indices(1000, 0.0, 7)).isEmpty();
    assertThat(SourceHoldout.indices(7, 0.1, 7)).hasSize(1); // round(0.7)
  }

  @Test
  void splitKeepsEveryPictureOnceWithItsLabel() {
    ImageDataset all = numbered();
    SourceHoldout.Parts parts = SourceHoldout.split(all, 0.2, 3);
    assertThat(parts.heldOut().count()).isEqualTo(10);
    assertThat(parts.train().count()).isEqualTo(40);
    assertThat(parts.train().name()).isEqualTo("d/train");
    int[] held = SourceHoldout.indices(50, 0.2, 3);
    for (int i = 0; i < held.length; i++) {
      assertThat(parts.heldOut().pixels()[i]).isEqualTo((byte) held[i]);
      assertThat(parts.heldOut().labels()[i]).isEqualTo(held[i] % 10);
    }
    List<Integer> union = IntStream.concat(
        IntStream.range(0, 40).map(i -> parts.train().pixels()[i]),
        Arrays.stream(held)).sorted().boxed().toList();
    assertThat(union).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
  }

  @Test
  void fractionOutsideItsRangeIsRefused() {
    assertThatThrownBy(() -> SourceHoldout.indices(10, 0.6, 1))
        .hasMessageContaining("source validation fraction must be in [0, 0.5], got 0.6");
    assertThatThrownBy(() -> SourceHoldout.indices(10, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
