package dev.daflow.ml.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The DANN paper's network for small colour digits, MNIST to MNIST-M (Ganin et al. 2016, JMLR,
 * Sec. 5.2.2 and Fig. 4, left): conv5x5 32 - maxpool2/2 - conv5x5 48 - maxpool2/2 (valid
 * convolutions, ReLU after each), features 48x4x4; label classifier fc100 - fc100 - 10; domain
 * classifier fc100 - 2. Input 3x28x28 (grey pictures are repeated over the three channels).
 * About 4 M multiply-adds per picture, a seventeenth of {@link DannSvhnNet}'s 70 M: enough for
 * digit-sized colour pairs.
 */
public final class DannMnistmNet implements Architecture {
  @Override
  public String name() {
    return "dann-mnistm";
  }

  @Override
  public InputShape input() {
    return new InputShape(3, 28, 28);
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
    SDVariable h = l.convPoolRelu("conv1", x, 3, 32, 5, false, 2, 2); // 32x12x12
    h = l.convPoolRelu("conv2", h, 32, 48, 5, false, 2, 2); // 48x4x4
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
