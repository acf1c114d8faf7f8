package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import org.junit.jupiter.api.Test;

/** {@link DomainDistance}: the proxy A-distance tells like from unlike domains. */
class DomainDistanceTest {

  /** An untrained LeNet is enough: its random features still carry the pictures' statistics. */
  private static Model untrained(ImageDataset fitOn) {
    LeNet net = new LeNet();
    Preprocessing pre = Preprocessing.fit(fitOn, net.input(), net.framing(), Scaling.UNIT);
    return new Model(Graphs.inference(net, 3), net.name(), pre, ImageDataset.DIGITS, null);
  }

  @Test
  void twoHalvesOfOneDomainAreCloseAndInvertedPicturesAreFar() {
    ImageDataset mnist = Digits.mnistTrain(2400);
    ImageDataset first = mnist.slice(0, 1200);
    ImageDataset second = mnist.slice(1200, 2400);
    Model model = untrained(first);

    DomainDistance.Result same = DomainDistance.proxyA(model, first, second, 1200);
    DomainDistance.Result inverted = DomainDistance.proxyA(model, first, invert(second), 1200);

    assertThat(same.pictures()).isEqualTo(1200);
    assertThat(same.pad()).isLessThan(0.5); // chance: error near 0.5
    assertThat(inverted.pad()).isGreaterThan(1.8); // almost always told apart
    assertThat(inverted.heldOutError()).isLessThan(0.05);
  }

  /**
   * On the input pixels (no model), the pictures as the network takes them, framed to its input:
   * two halves of MNIST are not told apart, MNIST and its negative are; USPS (16 x 16) comes out
   * framed to LeNet's 28 x 28.
   */
  @Test
  void inputPixelsTellLikeFromUnlikeWithoutAModel() {
    ImageDataset mnist = Digits.mnistTrain(800);
    LeNet net = new LeNet();
    Preprocessing pre = Preprocessing.fit(mnist, net.input(), net.framing(), Scaling.UNIT);
    int[] idx = FeatureSample.indices(400, 400);
    var first = FeatureSample.pixels(pre, mnist.slice(0, 400), idx);
    assertThat(first.shape()).containsExactly(400L, (long) net.input().size());
    assertThat(FeatureSample.pixels(pre, Digits.uspsTrain(400), idx).shape())
        .containsExactly(400L, (long) net.input().size());
    DomainDistance.Result same = DomainDistance.proxyA(first,
        FeatureSample.pixels(pre, mnist.slice(400, 800), idx));
    DomainDistance.Result inverted = DomainDistance.proxyA(first,
        FeatureSample.pixels(pre, invert(mnist.slice(400, 800)), idx));
    assertThat(same.pad()).isLessThan(0.5);
    assertThat(inverted.pad()).isGreaterThan(1.8);
  }

  @Test
  void tooFewPicturesAreRefused() {
    ImageDataset mnist = Digits.mnistTrain(10);
    assertThatThrownBy(() -> DomainDistance.proxyA(untrained(mnist), mnist.slice(0, 3),
        mnist.slice(3, 6), 100)).hasMessageContaining("at least 4 pictures");
  }

  private static ImageDataset invert(ImageDataset ds) {
    byte[] px = ds.pixels().clone();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (255 - (px[i] & 0xff));
    }
    return new ImageDataset(ds.name() + "-inverted", px, ds.labels(), ds.count(), ds.height(),
        ds.width(), ds.channels(), ds.classNames());
  }
}
