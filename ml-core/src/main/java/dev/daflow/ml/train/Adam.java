package dev.daflow.ml.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma &amp; Ba, ICLR 2015) with bias correction and L2 weight decay added to the
 * gradient, as {@code torch.optim.Adam}. ADDA trains with it (Tzeng et al. 2017, Sec. 5).
 */
public final class Adam implements Optimizer {
  /** Its {@link #solver()} name. */
  static final String SOLVER = "adam";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, INDArray> m = new LinkedHashMap<>();
  private final Map<String, INDArray> v = new LinkedHashMap<>();
  private final Map<String, Long> steps = new LinkedHashMap<>();

  public Adam(double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
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
    INDArray mt = m.computeIfAbsent(name, k -> grad.ulike().assign(0));
    INDArray vt = v.computeIfAbsent(name, k -> grad.ulike().assign(0));
    long t = steps.merge(name, 1L, Long::sum);
    // m = beta1 m + (1 - beta1) g
    InPlace.axpy(1 - beta1, grad, mt.muli(beta1));
    // v = beta2 v + (1 - beta2) g^2 (the gradient's buffer holds g^2 from here on)
    InPlace.axpy(1 - beta2, grad.muli(grad), vt.muli(beta2));
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    // w -= lr / c1 * m / (sqrt(v / c2) + eps), the quotient built in the gradient's buffer
    INDArray step = Transforms.sqrt(grad.assign(vt).divi(c2), false).addi(eps).rdivi(mt);
    InPlace.axpy(-lr / c1, step, param);
  }

  @Override
  public Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    m.forEach((k, a) -> s.put(k + "/m", a));
    v.forEach((k, a) -> s.put(k + "/v", a));
    steps.forEach((k, t) -> s.put(k + "/t", org.nd4j.linalg.factory.Nd4j.scalar((double) t)));
    return s;
  }

  @Override
  public void restore(Map<String, INDArray> saved) {
    m.clear();
    v.clear();
    steps.clear();
    saved.forEach((k, a) -> {
      String base = k.substring(0, k.lastIndexOf('/'));
      switch (k.substring(k.lastIndexOf('/') + 1)) {
        case "m" -> m.put(base, a.dup());
        case "v" -> v.put(base, a.dup());
        case "t" -> steps.put(base, (long) a.getDouble(0));
        default -> throw new IllegalArgumentException("unknown Adam state entry " + k);
      }
    });
  }
}
