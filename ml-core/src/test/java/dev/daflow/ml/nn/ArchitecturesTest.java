package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Network;
import org.junit.jupiter.api.Test;

/**
 * {@link Architectures}: an architecture for each of the contract's networks (which network a pair
 * gets by default, and its default tuning, are tested with the contract).
 */
class ArchitecturesTest {

  @Test
  void everyNetworkHasTheArchitectureOfItsName() {
    for (Network n : Network.values()) {
      assertThat(Architectures.of(n).name()).isEqualTo(n.id());
      assertThat(Architectures.byName(n.id()).name()).isEqualTo(n.id());
    }
    assertThat(Architectures.names()).containsExactlyElementsOf(Network.ids());
  }

  /** Each network's encoder and classifier fit together: its input gives one row of 10 classes. */
  @Test
  void everyNetworkMapsItsInputToClassProbabilities() {
    for (Network n : Network.values()) {
      Architecture a = Architectures.of(n);
      InputShape s = a.input();
      var x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2,
          s.channels(), s.height(), s.width());
      var probs = Graphs.inference(a, 1).output(java.util.Map.of(Graphs.X, x), Graphs.PROBS)
          .get(Graphs.PROBS);
      assertThat(probs.shape()).as(n.id()).containsExactly(2, a.classes());
      assertThat(probs.sumNumber().doubleValue()).as(n.id()).isCloseTo(2.0,
          org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void theDefaultNetworksTakeTheirShapes() {
    // The 64x64 default is chosen for pictures above 32 pixels, dann-mnistm for colour up to 32
    // (resized to the DANN paper's 28x28), lenet for grey.
    assertThat(Architectures.of(Network.ADDA_MNIST64_IN).input()).isEqualTo(
        new InputShape(3, 64, 64));
    assertThat(Architectures.of(Network.DANN_SVHN).input()).isEqualTo(new InputShape(3, 32, 32));
    assertThat(Architectures.of(Network.DANN_MNISTM).input()).isEqualTo(new InputShape(3, 28, 28));
    assertThat(Architectures.of(Network.LENET).input().channels()).isEqualTo(1);
  }

  @Test
  void unknownNamesAreRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> Architectures.byName("vgg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("network must be one of lenet").hasMessageEndingWith("got 'vgg'");
  }
}
