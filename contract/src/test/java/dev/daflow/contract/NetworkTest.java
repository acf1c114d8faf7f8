package dev.daflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Network#defaultFor}: the default network from the domains' picture shapes. */
class NetworkTest {
  private static final Network.Shape MNIST = new Network.Shape(1, 28, 28);
  private static final Network.Shape USPS = new Network.Shape(1, 16, 16);
  private static final Network.Shape SVHN = new Network.Shape(3, 32, 32);
  private static final Network.Shape MNIST64 = new Network.Shape(3, 64, 64);

  @Test
  void builtInPairsGetTheCliDefaults() {
    assertThat(Network.defaultFor(MNIST, USPS)).isEqualTo(Network.LENET);
    assertThat(Network.defaultFor(USPS, MNIST)).isEqualTo(Network.LENET);
    assertThat(Network.defaultFor(SVHN, MNIST)).isEqualTo(Network.DANN_MNISTM);
    assertThat(Network.defaultFor(MNIST, SVHN)).isEqualTo(Network.DANN_MNISTM);
    assertThat(Network.defaultFor(MNIST64, MNIST64)).isEqualTo(Network.ADDA_MNIST64_IN);
    assertThat(Network.defaultFor(SVHN, MNIST64)).isEqualTo(Network.ADDA_MNIST64_IN);
  }

  @Test
  void onlyTheNormalisedMnist64NetworkRecommendsClipping() {
    assertThat(Network.byId("adda-mnist64-in").recommendedClipNorm()).isEqualTo(5);
    assertThat(Network.ADDA_MNIST64_IN.defaultTuning()).isEqualTo(Tuning.DEFAULT.withClipNorm(5));
    assertThat(Network.byId("adda-mnist64").recommendedClipNorm()).isZero();
    assertThat(Network.byId("lenet").defaultTuning()).isEqualTo(Tuning.DEFAULT);
    assertThat(Network.byId("dann-svhn").recommendedClipNorm()).isZero();
  }
}
