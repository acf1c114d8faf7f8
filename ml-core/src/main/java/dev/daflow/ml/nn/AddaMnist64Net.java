package dev.daflow.ml.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The network of the ADDA MNIST-64 demo (after Tzeng et al. 2017, "Adversarial Discriminative
 * Domain Adaptation", CVPR): four blocks of [conv3x3 32 "same", ReLU, maxpool2] on 3x64x64
 * pictures, then dense 64 and 10. The encoder ends at the 64-unit layer; the domain classifier
 * (the ADDA discriminator) is fc500 - fc500 - 2 as in the paper.
 *
 * <p>{@link #normalised()} is the same network with instance normalisation (Ulyanov et al. 2016):
 * each picture's channels are standardised on their own before the first convolution, and each
 * convolution is followed by max-pooling, then instance normalisation with a learned scale and
 * shift, then ReLU. Both are
 * computed per picture, without labels and identically for every domain, so a picture's overall
 * brightness, contrast and per-channel colour shift do not reach the features. It is the default
 * network for pictures above 32 pixels and trains with gradients clipped at global norm 5
 * unless told otherwise (the contract's {@code Network.ADDA_MNIST64_IN}): the recipe with which
 * source-only, DANN and ADDA train the MNIST-64 demo pair (docs/benchmarks.md; without clipping,
 * DANN on the plain network diverged).
 */
public final class AddaMnist64Net implements Architecture {
  private final boolean normalised;

  /** The demo's network, {@code adda-mnist64}. */
  public AddaMnist64Net() {
    this(false);
  }

  private AddaMnist64Net(boolean normalised) {
    this.normalised = normalised;
  }

  /** The network with instance normalisation, {@code adda-mnist64-in}. */
  public static AddaMnist64Net normalised() {
    return new AddaMnist64Net(true);
  }

  @Override
  public String name() {
    return normalised ? "adda-mnist64-in" : "adda-mnist64";
  }

  @Override
  public InputShape input() {
    return new InputShape(3, 64, 64);
  }

  @Override
  public int featureSize() {
    return 64;
  }

  @Override
  public int classes() {
    return 10;
  }

  @Override
  public SDVariable encoder(Layers l, SDVariable x, boolean training) {
    SDVariable h = normalised ? l.instanceNorm(x) : x;
    int in = 3;
    for (int i = 1; i <= 4; i++) {
      if (normalised) {
        // Pooling first, so that the normalisation works on a quarter of the values (its
        // statistics are those of the pooled map); max-pooling commutes with ReLU.
        h = l.instanceNormRelu("norm" + i, l.maxPool(l.conv("conv" + i, h, in, 32, 3, true), 2, 2),
            32);
      } else {
        h = l.convPoolRelu("conv" + i, h, in, 32, 3, true, 2, 2);
      }
      in = 32;
    }
    // 32x4x4 -> dense 64 (features)
    return l.denseRelu("fc", l.flatten(h, 32 * 4 * 4), 32 * 4 * 4, featureSize());
  }

  @Override
  public SDVariable classifier(Layers l, SDVariable f, boolean training) {
    return l.dense("out", f, featureSize(), classes());
  }

  @Override
  public SDVariable domainClassifier(Layers l, SDVariable f) {
    SDVariable h = l.denseRelu("fc1", f, featureSize(), 500);
    h = l.denseRelu("fc2", h, 500, 500);
    return l.dense("out", h, 500, 2);
  }
}
