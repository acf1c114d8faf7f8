package dev.daflow.ml.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;

/**
 * Features drawn in two dimensions by principal component analysis (Pearson, "On lines and
 * planes of closest fit to systems of points in space", Phil. Mag. 2(11), 1901; Hotelling,
 * "Analysis of a complex of statistical variables into principal components", J. Educ. Psychol.
 * 24, 1933): the features, centred, projected on the two eigenvectors of their covariance with the
 * largest eigenvalues (ND4J's LAPACK eigen-decomposition, {@link Eigen}).
 *
 * <p>Why PCA and not t-SNE (van der Maaten and Hinton, JMLR 9, 2008), which TLlib's plots use: the
 * maintained Java t-SNE (Smile) is GPL-3.0 and would put the whole project under the GPL, and
 * DL4J's own {@code BarnesHutTsne} is not part of the libraries DAFlow uses. PCA is linear and
 * deterministic: a cloud that overlaps in PCA overlaps in the features; one that looks apart may
 * still be close along directions PCA does not show (the proxy A-distance measures that).
 *
 * @param points {@code [n][2]}: the first two principal coordinates of each row
 * @param explained the share of the total variance each of the two components explains
 */
public record PcaEmbedding(double[][] points, double[] explained) {

  /**
   * @param features {@code [n, d]} rows to draw (n at least 2)
   * @throws IllegalArgumentException for fewer than 2 rows or fewer than 2 columns
   */
  public static PcaEmbedding of(INDArray features) {
    if (features.rank() != 2 || features.rows() < 2 || features.columns() < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows of at least 2 features, got "
          + Arrays.toString(features.shape()));
    }
    INDArray x = features.castTo(DataType.DOUBLE).dup();
    INDArray mean = x.mean(0);
    INDArray centred = x.subRowVector(mean);
    // The covariance's eigen-decomposition (LAPACK syev): the values, the vectors in its columns.
    INDArray vectors = centred.transpose().mmul(centred).divi(x.rows() - 1);
    double[] values = Eigen.symmetricGeneralizedEigenvalues(vectors, true).toDoubleVector();
    int[] order = IntStream.range(0, values.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -values[i]))
        .mapToInt(Integer::intValue).toArray();
    double total = Arrays.stream(values).map(v -> Math.max(v, 0)).sum();
    INDArray basis = vectors.getColumns(order[0], order[1]);
    double[][] points = centred.mmul(basis).toDoubleMatrix();
    double[] explained = total <= 0 ? new double[2]
        : new double[] {Math.max(values[order[0]], 0) / total, Math.max(values[order[1]], 0) / total};
    return new PcaEmbedding(points, explained);
  }
}
