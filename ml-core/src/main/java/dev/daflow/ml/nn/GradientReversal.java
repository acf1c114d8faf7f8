package dev.daflow.ml.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * The gradient reversal layer of Ganin &amp; Lempitsky (2015), "Unsupervised Domain Adaptation by
 * Backpropagation" (ICML), Sec. 3.3: identity in the forward pass, multiplies the gradient by
 * {@code -lambda} in the backward pass.
 *
 * <p>Built from stock ops so that it survives graph save/load: {@code -lambda*f +
 * stopGradient((1+lambda)*f)} equals {@code f} forward, and only the first term carries a
 * gradient.
 */
public final class GradientReversal {
  private GradientReversal() {}

  /**
   * @param f the features to pass through
   * @param lambda a scalar variable (usually a placeholder set each iteration)
   */
  public static SDVariable apply(SDVariable f, SDVariable lambda) {
    SDVariable reversed = f.mul(lambda.neg());
    SDVariable carried = new StopGradient(f.getSameDiff(), f.mul(lambda.add(1.0))).outputVariable();
    return reversed.add(carried);
  }
}
