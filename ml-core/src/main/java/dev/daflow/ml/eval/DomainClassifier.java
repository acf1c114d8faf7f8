package dev.daflow.ml.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A linear domain classifier on features: L2-regularised logistic regression on standardised
 * features, fitted by full-batch gradient descent. What tells source from target features in the
 * proxy A-distance ({@link DomainDistance}) and weighs source pictures by their likeness to the
 * target in deep embedded validation ({@link DeepEmbeddedValidation}).
 */
final class DomainClassifier {
  private static final int ITERATIONS = 500;
  private static final double STEP = 0.5;
  private static final double L2 = 1e-3;

  private final INDArray mean;
  private final INDArray std;
  private final INDArray w;
  private final double b;

  private DomainClassifier(INDArray mean, INDArray std, INDArray w, double b) {
    this.mean = mean;
    this.std = std;
    this.w = w;
    this.b = b;
  }

  /**
   * Fits the classifier.
   *
   * @param x {@code [n, d]} features, doubles
   * @param y {@code [n, 1]} 1 for the target domain, 0 for the source
   */
  static DomainClassifier fit(INDArray x, INDArray y) {
    // Standardise with the training rows' statistics.
    INDArray mean = x.mean(0);
    INDArray std = x.std(0).addi(1e-6);
    INDArray train = x.subRowVector(mean).divRowVector(std);
    // Logistic regression, full-batch gradient descent on the mean log-loss plus L2.
    INDArray w = Nd4j.zeros(DataType.DOUBLE, train.columns(), 1);
    double b = 0;
    for (int it = 0; it < ITERATIONS; it++) {
      INDArray p = Transforms.sigmoid(train.mmul(w).addi(b));
      INDArray err = p.subi(y);
      INDArray grad = train.transpose().mmul(err).divi(train.rows()).addi(w.mul(L2));
      w.subi(grad.muli(STEP));
      b -= STEP * err.meanNumber().doubleValue();
    }
    return new DomainClassifier(mean, std, w, b);
  }

  /** The log-odds that each row of {@code x} is from the target domain, {@code [n, 1]}. */
  INDArray logits(INDArray x) {
    return x.subRowVector(mean).divRowVector(std).mmul(w).addi(b);
  }
}
