package dev.daflow.ml.nn;

import dev.daflow.contract.Network;
import java.util.List;

/**
 * The ND4J architecture of each of the contract's {@link Network}s, chosen by name. Which networks
 * exist, their default tuning and the default for a pair of domains are the contract's.
 */
public final class Architectures {
  private Architectures() {}

  /** The one mapping from the contract's networks to their architectures. */
  public static Architecture of(Network network) {
    return switch (network) {
      case LENET -> new LeNet();
      case DANN_SVHN -> new DannSvhnNet();
      case ADDA_MNIST64 -> new AddaMnist64Net();
      case ADDA_MNIST64_IN -> AddaMnist64Net.normalised();
      case DANN_MNISTM -> new DannMnistmNet();
      case LENET_BN -> new LeNetBn();
    };
  }

  /**
   * @throws IllegalArgumentException naming the known networks if {@code name} is not one
   */
  public static Architecture byName(String name) {
    return of(Network.byId(name));
  }

  /** The networks' names ({@link Network#ids()}). */
  public static List<String> names() {
    return Network.ids();
  }
}
