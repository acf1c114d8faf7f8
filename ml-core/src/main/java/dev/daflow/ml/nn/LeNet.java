package dev.daflow.ml.nn;

import dev.daflow.ml.data.Framing;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * LeNet-style digit network of ADDA's MNIST/USPS experiments (Tzeng et al. 2017, "Adversarial
 * Discriminative Domain Adaptation", CVPR, Sec. 5.1, after LeCun et al. 1998): conv5x5 20 -
 * maxpool2 - conv5x5 50 - maxpool2 - fc500 as the encoder (500 features), one linear layer to the
 * 10 classes as the classifier, and the paper's discriminator (fc500 - fc500 - 2) as the domain
 * head, for DANN and ADDA alike. Input 1x28x28, digits framed as MNIST's ({@link
 * Framing#DIGIT_BOX}).
 */
public final class LeNet implements Architecture {
  private static final int FEATURES = 500;

  @Override
  public String name() {
    return "lenet";
  }

  @Override
  public InputShape input() {
    return new InputShape(1, 28, 28);
  }

  /** Digits of any source in MNIST's geometry: a 20x20 box centred by mass in 28x28. */
  @Override
  public Framing framing() {
    return Framing.DIGIT_BOX;
  }

  @Override
  public int featureSize() {
    return FEATURES;
  }

  @Override
  public int classes() {
    return 10;
  }

  @Override
  public SDVariable encoder(Layers l, SDVariable x, boolean training) {
    return l.denseRelu("fc3", base(l, x), BASE_SIZE, FEATURES);
  }

  /** Values out of {@link #base}. */
  static final int BASE_SIZE = 50 * 4 * 4;

  /** The two convolutions: conv5x5 20 - maxpool2 - conv5x5 50 - maxpool2, flattened. */
  static SDVariable base(Layers l, SDVariable x) {
    SDVariable h = l.convPoolRelu("conv1", x, 1, 20, 5, false, 2, 2); // 20x12x12
    h = l.convPoolRelu("conv2", h, 20, 50, 5, false, 2, 2); // 50x4x4
    return l.flatten(h, BASE_SIZE);
  }

  @Override
  public SDVariable classifier(Layers l, SDVariable f, boolean training) {
    return l.dense("out", f, FEATURES, classes());
  }

  @Override
  public SDVariable domainClassifier(Layers l, SDVariable f) {
    return discriminator(l, f, FEATURES);
  }

  /** ADDA's discriminator, fc500 - fc500 - 2, on {@code features} values. */
  static SDVariable discriminator(Layers l, SDVariable f, int features) {
    SDVariable h = l.denseRelu("fc1", f, features, 500);
    h = l.denseRelu("fc2", h, 500, 500);
    return l.dense("out", h, 500, 2);
  }
}
