package dev.daflow.ml.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Array updates that write into an existing array and allocate nothing (the optimisers' steps). */
final class InPlace {
  private InPlace() {}

  /** {@code y += alpha * x} (BLAS axpy); both arrays of one shape. */
  static void axpy(double alpha, INDArray x, INDArray y) {
    if (!java.util.Arrays.equals(x.shape(), y.shape())) {
      throw new IllegalArgumentException("axpy of shapes " + java.util.Arrays.toString(x.shape())
          + " and " + java.util.Arrays.toString(y.shape()));
    }
    Nd4j.getBlasWrapper().level1().axpy(x.length(), alpha, x, y);
  }
}
