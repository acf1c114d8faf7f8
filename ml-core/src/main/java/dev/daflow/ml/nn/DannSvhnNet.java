package dev.daflow.ml.nn;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference DANN network for SVHN to MNIST (Ganin et al. 2016, JMLR, Sec. 5.2.2 and Fig. 4):
 * conv5x5 64 - maxpool3/2 - conv5x5 64 - maxpool3/2 - conv5x5 128 - dropout 0.5; label classifier
 * fc3072 - fc2048 - 10; domain classifier fc1024 - fc1024 - 2. Input 3x32x32. Convolutions use
 * "same" padding, so the features are 128x7x7.
 */
public final class DannSvhnNet implements Architecture {
  @Override
  public String name() {
    return "dann-svhn";
  }

  @Override
  public InputShape input() {
    return new InputShape(3, 32, 32);
  }

  @Override
  public int featureSize() {
    return 128 * 7 * 7;
  }

  @Override
  public int classes() {
    return 10;
  }

  @Override
  public SDVariable encoder(Layers l, SDVariable x, boolean training) {
    SDVariable h = l.convPoolRelu("conv1", x, 3, 64, 5, true, 3, 2); // 64x15x15
    h = l.convPoolRelu("conv2", h, 64, 64, 5, true, 3, 2); // 64x7x7
    h = l.flatten(l.convRelu("conv3", h, 64, 128, 5, true), featureSize());
    return training ? l.dropout("drop", h, featureSize()) : h;
  }

  @Override
  public SDVariable classifier(Layers l, SDVariable f, boolean training) {
    SDVariable h = l.denseRelu("fc1", f, featureSize(), 3072);
    h = l.denseRelu("fc2", h, 3072, 2048);
    return l.dense("out", h, 2048, classes());
  }

  @Override
  public SDVariable domainClassifier(Layers l, SDVariable f) {
    SDVariable h = l.denseRelu("fc1", f, featureSize(), 1024);
    h = l.denseRelu("fc2", h, 1024, 1024);
    return l.dense("out", h, 1024, 2);
  }

  @Override
  public Map<String, Integer> dropoutMasks(String encoderScope, String classifierScope) {
    return Map.of(encoderScope + "/drop/mask", featureSize());
  }

  @Override
  public double dropoutRate() {
    return 0.5;
  }
}
