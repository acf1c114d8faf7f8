package dev.daflow.ml.eval;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
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
    INDArray fs = features(model, source, n);
    INDArray ft = features(model, target, n);
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

  /** Features of {@code n} pictures spread evenly over {@code ds}, as doubles. */
  private static INDArray features(Model model, ImageDataset ds, int n) {
    Preprocessing pre = model.preprocessing();
    ImageDataset shaped = pre.shape(ds);
    var s = pre.input();
    int size = s.size();
    int batch = 256;
    INDArray all = null;
    int[] idx = new int[batch];
    float[] buf = new float[batch * size];
    for (int from = 0; from < n; from += batch) {
      int k = Math.min(batch, n - from);
      for (int i = 0; i < k; i++) {
        idx[i] = (int) ((long) (from + i) * shaped.count() / n);
      }
      pre.fill(shaped, idx, 0, k, buf, 0);
      INDArray x = Nd4j.create(Arrays.copyOf(buf, k * size),
          new long[] {k, s.channels(), s.height(), s.width()}, 'c');
      INDArray f = model.features(x).castTo(DataType.DOUBLE);
      f = f.reshape(k, f.length() / k);
      all = all == null ? f : Nd4j.vstack(all, f);
    }
    return all;
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
