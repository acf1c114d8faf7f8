package dev.daflow.ml.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/** Array updates that write into an existing array and allocate nothing (the optimisers' steps). */
final class InPlace {
  private InPlace() {}

  /**
   * {@code y += alpha * x}; both arrays of one shape. libnd4j's own {@code axpy} op, which runs on
   * the OpenMP threads of the step's other ops. (OpenBLAS's {@code saxpy}, used before, took 11% of
   * lenet's step time for a few hundred thousand values, likely because its own threads competed
   * with libgomp's, still spinning after the graph's last op; this op made the step 23% faster:
   * docs/performance.md. The two gave the same floats on 400,000 random values.)
   */
  static void axpy(double alpha, INDArray x, INDArray y) {
    if (!java.util.Arrays.equals(x.shape(), y.shape())) {
      throw new IllegalArgumentException("axpy of shapes " + java.util.Arrays.toString(x.shape())
          + " and " + java.util.Arrays.toString(y.shape()));
    }
    Nd4j.exec(new Axpy(x, y, y, alpha));
  }
}
