package dev.daflow.ml.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * LeNet-style digit network used by DANN and ADDA for MNIST/USPS (Ganin et al. 2016, JMLR, Fig. 4;
 * Tzeng et al. 2017, "Adversarial Discriminative Domain Adaptation", CVPR, Sec. 5.1): conv5x5 32 -
 * maxpool2 - conv5x5 48 - maxpool2 - fc100 - fc100 - 10 on 1x28x28 pictures; domain head fc100 - 2.
 */
public final class LeNet implements Architecture {
  @Override
  public String name() {
    return "lenet";
  }

  @Override
  public InputShape input() {
    return new InputShape(1, 28, 28);
  }

  @Override
  public int featureSize() {
    return 48 * 4 * 4;
  }

  @Override
  public int classes() {
    return 10;
  }

  @Override
  public SDVariable encoder(Layers l, SDVariable x, boolean training) {
    SDVariable h = l.maxPool(l.convRelu("conv1", x, 1, 32, 5, false), 2, 2); // 32x12x12
    h = l.maxPool(l.convRelu("conv2", h, 32, 48, 5, false), 2, 2); // 48x4x4
    return l.flatten(h, featureSize());
  }

  @Override
  public SDVariable classifier(Layers l, SDVariable f, boolean training) {
    SDVariable h = l.denseRelu("fc1", f, featureSize(), 100);
    h = l.denseRelu("fc2", h, 100, 100);
    return l.dense("out", h, 100, classes());
  }

  @Override
  public SDVariable domainClassifier(Layers l, SDVariable f) {
    SDVariable h = l.denseRelu("fc1", f, featureSize(), 100);
    return l.dense("out", h, 100, 2);
  }
}
