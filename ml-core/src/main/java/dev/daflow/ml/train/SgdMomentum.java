package dev.daflow.ml.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with momentum and L2 weight decay in the form of PyTorch's {@code torch.optim.SGD}, which the
 * DANN reproductions use: {@code g += wd * w; v = mu * v + g; w -= lr * v}.
 */
public final class SgdMomentum implements Optimizer {
  /** Its {@link #solver()} name. */
  static final String SOLVER = "sgd";

  private final double momentum;
  private final double weightDecay;
  private final Map<String, INDArray> velocity = new LinkedHashMap<>();

  public SgdMomentum(double momentum, double weightDecay) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  @Override
  public String solver() {
    return SOLVER;
  }

  /** Updates in place, with no temporary arrays: {@code grad} is overwritten. */
  @Override
  public void update(String name, INDArray param, INDArray grad, double lr) {
    if (weightDecay > 0) {
      InPlace.axpy(weightDecay, param, grad);
    }
    INDArray v = velocity.get(name);
    if (v == null) {
      v = grad.dup();
      velocity.put(name, v);
    } else {
      v.muli(momentum).addi(grad);
    }
    InPlace.axpy(-lr, v, param);
  }

  @Override
  public Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    velocity.forEach((k, v) -> s.put(k + "/velocity", v));
    return s;
  }

  @Override
  public void restore(Map<String, INDArray> saved) {
    velocity.clear();
    saved.forEach((k, v) -> {
      if (k.endsWith("/velocity")) {
        velocity.put(k.substring(0, k.length() - "/velocity".length()), v.dup());
      }
    });
  }
}
