package dev.daflow.cli;

import dev.daflow.contract.Network;
import java.util.Map;

/**
 * The network a pair of built-in datasets trains by default on this machine ({@code daflow local
 * train}): the contract's choice by picture shape ({@link Network#defaultFor}), asked with the
 * built-in datasets' shapes. {@code daflow train} leaves the network out instead: trainer-service
 * asks the same function with the shapes of the ingested datasets' manifests.
 */
final class DefaultNetwork {
  private DefaultNetwork() {}

  /** The picture shapes of the built-in datasets, as ml-core's readers produce them. */
  private static final Map<String, Network.Shape> BUILT_IN = Map.of(
      "mnist", new Network.Shape(1, 28, 28),
      "usps", new Network.Shape(1, 16, 16),
      "svhn", new Network.Shape(3, 32, 32),
      "mnist64", new Network.Shape(3, 64, 64),
      "mnist64-bg", new Network.Shape(3, 64, 64));

  /**
   * @throws IllegalArgumentException if either is not a built-in dataset
   */
  static String forPair(String source, String target) {
    return Network.defaultFor(shape(source), shape(target)).id();
  }

  private static Network.Shape shape(String dataset) {
    Network.Shape s = BUILT_IN.get(dataset);
    if (s == null) {
      throw new IllegalArgumentException("no default network for dataset '" + dataset
          + "' (not built in); give --network");
    }
    return s;
  }
}
