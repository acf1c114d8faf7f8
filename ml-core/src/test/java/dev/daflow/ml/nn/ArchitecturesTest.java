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

  @Test
  void theDefaultNetworksTakeTheirShapes() {
    // The 64x64 default is chosen for pictures above 32 pixels, dann-svhn for colour 32x32.
    assertThat(Architectures.of(Network.ADDA_MNIST64_IN).input()).isEqualTo(
        new InputShape(3, 64, 64));
    assertThat(Architectures.of(Network.DANN_SVHN).input()).isEqualTo(new InputShape(3, 32, 32));
    assertThat(Architectures.of(Network.LENET).input().channels()).isEqualTo(1);
  }

  @Test
  void unknownNamesAreRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> Architectures.byName("vgg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("network must be one of lenet").hasMessageEndingWith("got 'vgg'");
  }
}
