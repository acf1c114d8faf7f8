package dev.daflow.ml.eval;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.model.Model;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How far apart two domains are in a model's feature space: the proxy A-distance of Ben-David et
 * al. (2007), as Ganin et al. (2016, JMLR 17(59), Sec. 5.1.2 and Fig. 4) use it to show what
 * DANN's alignment does. A linear classifier learns to tell source features from target features
 * on one half of the pictures; with its error {@code e} on the other half, {@code PAD = 2 (1 - 2
 * e)}: 0 when the domains cannot be told apart, 2 when they always can.
 *
 * <p>Uses domain membership only, never a class label, so it may be measured on target pictures.
 * The classifier is {@link DomainClassifier}: L2-regularised logistic regression on standardised
 * features, fitted by full-batch gradient descent (Ganin et al. used a linear SVM; both are linear
 * separators).
 */
public final class DomainDistance {

  private DomainDistance() {}

  /**
   * @param pad the proxy A-distance, in [0, 2] (negative when the held-out error exceeds 0.5,
   *     i.e. by chance)
   * @param heldOutError the domain classifier's error on the held-out half
   * @param pictures pictures per domain
   */
  public record Result(double pad, double heldOutError, int pictures) {}

  /**
   * @param perDomain pictures taken from each domain (evenly spread over it); even rows train the
   *     domain classifier, odd rows test it
   */
  public static Result proxyA(Model model, ImageDataset source, ImageDataset target,
      int perDomain) {
    int n = Math.min(perDomain, Math.min(source.count(), target.count()));
    if (n < 4) {
      throw new IllegalArgumentException("the proxy A-distance needs at least 4 pictures per "
          + "domain, got " + n);
    }
    return proxyA(FeatureSample.of(model, source, n), FeatureSample.of(model, target, n));
  }

  /**
   * The proxy A-distance between features already taken ({@link FeatureSample}), e.g. when the
   * same features are also drawn.
   *
   * @param fs source features, {@code [n, features]}; even rows train, odd rows test
   * @param ft target features, {@code [n, features]} (the same {@code n}; at least 4)
   */
  public static Result proxyA(INDArray fs, INDArray ft) {
    int n = (int) Math.min(fs.rows(), ft.rows());
    if (n < 4) {
      throw new IllegalArgumentException("the proxy A-distance needs at least 4 pictures per "
          + "domain, got " + n);
    }
    int half = n / 2;
    INDArray train = Nd4j.vstack(rows(fs, 0, half), rows(ft, 0, half));
    INDArray test = Nd4j.vstack(rows(fs, 1, half), rows(ft, 1, half));
    INDArray yTrain = domainLabels(half);
    INDArray yTest = domainLabels(half);
    INDArray scores = DomainClassifier.fit(train, yTrain).logits(test);
    int wrong = 0;
    for (int i = 0; i < test.rows(); i++) {
      boolean saysTarget = scores.getDouble(i, 0) > 0;
      boolean isTarget = yTest.getDouble(i, 0) > 0.5;
      if (saysTarget != isTarget) {
        wrong++;
      }
    }
    double error = wrong / (double) test.rows();
    return new Result(2 * (1 - 2 * error), error, n);
  }

  /** Every other row of {@code a}, starting at {@code first}, {@code count} of them. */
  private static INDArray rows(INDArray a, int first, int count) {
    long[] idx = new long[count];
    for (int i = 0; i < count; i++) {
      idx[i] = first + 2L * i;
    }
    return a.getRows(Arrays.stream(idx).mapToInt(l -> (int) l).toArray());
  }

  /** {@code half} zeros (source) then {@code half} ones (target), as a column. */
  private static INDArray domainLabels(int half) {
    double[] y = new double[2 * half];
    Arrays.fill(y, half, 2 * half, 1);
    return Nd4j.create(y, new long[] {2 * half, 1}, 'c');
  }
}
