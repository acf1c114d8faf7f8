package dev.daflow.ml.nn;

import dev.daflow.ml.data.Framing;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * SHOT's digit LeNet (Liang et al. 2020, "Do We Really Need to Access the Source Data? Source
 * Hypothesis Transfer for Unsupervised Domain Adaptation", ICML; the authors' {@code
 * digit/network.py}, {@code LeNetBase} + {@code feat_bootleneck(type="bn")}): conv5x5 20 -
 * maxpool2 - ReLU - conv5x5 50 - maxpool2 - ReLU as the base (800 values), then a 256-d linear
 * bottleneck with batch normalisation as the encoder's output; one linear layer to the 10 classes
 * as the classifier. The batch normalisation keeps running statistics per domain (DSBN, Chang et
 * al. 2019) and the served model reads the target's (AdaBN, Li et al. 2018): {@link
 * Layers#batchNorm}. The domain head is {@link LeNet}'s (fc500 - fc500 - 2).
 *
 * <p>Departures from SHOT's network: no dropout after the bottleneck and no Dropout2d in the
 * base, and a plain linear classifier instead of a weight-normalised one (docs/methods.md).
 */
public final class LeNetBn implements Architecture {
  private static final int FEATURES = 256;

  @Override
  public String name() {
    return "lenet-bn";
  }

  @Override
  public InputShape input() {
    return new InputShape(1, 28, 28);
  }

  /** Digits in MNIST's geometry, as {@link LeNet}. */
  @Override
  public Framing framing() {
    return Framing.DIGIT_BOX;
  }

  @Override
  public boolean batchNormalised() {
    return true;
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
    SDVariable b = l.dense("bottleneck", LeNet.base(l, x), LeNet.BASE_SIZE, FEATURES);
    return l.batchNorm("bn", b, FEATURES);
  }

  @Override
  public SDVariable classifier(Layers l, SDVariable f, boolean training) {
    return l.dense("out", f, FEATURES, classes());
  }

  @Override
  public SDVariable domainClassifier(Layers l, SDVariable f) {
    return LeNet.discriminator(l, f, FEATURES);
  }
}
