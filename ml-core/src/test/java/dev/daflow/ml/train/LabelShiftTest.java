package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Method;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.LeNet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** {@link LabelShift}: IWDAN's class weights from predictions, without target labels. */
class LabelShiftTest {

  @Test
  void projectionOntoTheSimplexIsTheNearestPoint() {
    assertThat(LabelShift.projectOntoSimplex(new double[] {0.3, 0.7}))
        .containsExactly(new double[] {0.3, 0.7}, Offset.offset(1e-12));
    assertThat(LabelShift.projectOntoSimplex(new double[] {2, 0}))
        .containsExactly(new double[] {1, 0}, Offset.offset(1e-12));
    assertThat(LabelShift.projectOntoSimplex(new double[] {0.2, 0.2}))
        .containsExactly(new double[] {0.5, 0.5}, Offset.offset(1e-12));
    assertThat(LabelShift.projectOntoSimplex(new double[] {0.9, 0.6, -1}))
        .containsExactly(new double[] {0.65, 0.35, 0}, Offset.offset(1e-12));
  }

  /** mu = C w exactly: the solver finds w = q / p. */
  @Test
  void recoversTheWeightsOfAKnownShift() {
    int k = 4;
    double[] p = {0.25, 0.25, 0.25, 0.25};
    double[] q = {0.4, 0.3, 0.2, 0.1};
    double[][] given = new double[k][k]; // P(prediction = i | y = j): 85% right
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        given[i][j] = i == j ? 0.85 : 0.05;
      }
    }
    double[][] joint = new double[k][k];
    double[] mu = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        joint[i][j] = given[i][j] * p[j];
        mu[i] += given[i][j] * q[j];
      }
    }
    LabelShift.Estimate e = LabelShift.solve(joint, p, mu);
    assertThat(e.targetPrior()).containsExactly(q, Offset.offset(1e-6));
    assertThat(e.weights()).containsExactly(new double[] {1.6, 1.2, 0.8, 0.4},
        Offset.offset(1e-5));
  }

  /** Predictions no shift can explain still give weights in the constraint set. */
  @Test
  void weightsStayNonNegativeAndNormalised() {
    double[] p = {0.5, 0.3, 0.2};
    double[][] joint = {{0.5, 0, 0}, {0, 0.3, 0}, {0, 0, 0.2}};
    double[] mu = {1.3, -0.1, -0.2};
    LabelShift.Estimate e = LabelShift.solve(joint, p, mu);
    assertThat(Arrays.stream(e.weights()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    double total = 0;
    for (int j = 0; j < p.length; j++) {
      total += e.weights()[j] * p[j];
    }
    assertThat(total).isCloseTo(1, Offset.offset(1e-9));
    assertThat(e.targetPrior()[0]).isCloseTo(1, Offset.offset(1e-9));
  }

  @Test
  void mismatchedSizesAreRefused() {
    assertThatThrownBy(() -> LabelShift.solve(new double[2][2], new double[3], new double[3]))
        .hasMessageContaining("sizes must agree");
  }

  /**
   * A source-only LeNet trained briefly on MNIST, shown MNIST pictures of which 40% are zeros:
   * the estimate finds the extra zeros from its predictions alone.
   */
  @Test
  void estimateFindsAShiftFromATrainedModelsPredictions() throws IOException {
    ImageDataset source = Digits.mnistTrain(3000);
    Preprocessing pre = Preprocessing.fit(source, new LeNet().input(), new LeNet().framing(),
        Scaling.UNIT);
    DomainData data = DomainData.of(source, null, pre);
    TrainingConfig c = TrainingConfig.defaults(Method.SOURCE_ONLY, "lenet").withEpochs(2)
        .withBatchSize(64);
    TrainingResult r = new DomainAdaptationTrainer(c, null)
        .fit(data, new TrainingListener() {}, CancellationToken.none());

    ImageDataset pool = pre.shape(Digits.mnistTest(3000));
    ImageDataset skewed = withZeroShare(pool, 0.4);
    double trueZeros = Arrays.stream(skewed.labels()).filter(y -> y == 0).count()
        / (double) skewed.count();
    LabelShift.Estimate e = LabelShift.estimate(r.inference(), data.source(),
        TargetPictures.of(skewed).pictures(), pre, 10, 10_000);

    assertThat(trueZeros).isCloseTo(0.4, Offset.offset(0.01));
    assertThat(e.targetPrior()[0]).isCloseTo(trueZeros, Offset.offset(0.05));
    double sourceZeros = source.classCounts()[0] / (double) source.count();
    assertThat(e.weights()[0]).isGreaterThan(0.3 / sourceZeros);
    assertThat(Arrays.stream(e.targetPrior()).sum()).isCloseTo(1, Offset.offset(1e-9));
  }

  /** All of the pool's non-zeros and as many zeros as make {@code share} of the result. */
  private static ImageDataset withZeroShare(ImageDataset pool, double share) {
    List<Integer> zeros = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < pool.count(); i++) {
      (pool.labels()[i] == 0 ? zeros : others).add(i);
    }
    int keepOthers = (int) Math.min(others.size(), zeros.size() * (1 - share) / share);
    List<Integer> rows = new ArrayList<>(zeros);
    rows.addAll(others.subList(0, keepOthers));
    ByteArrayOutputStream px = new ByteArrayOutputStream();
    int[] labels = new int[rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      px.writeBytes(pool.picture(rows.get(k)));
      labels[k] = pool.labels()[rows.get(k)];
    }
    return new ImageDataset("skewed", px.toByteArray(), labels, rows.size(), pool.height(),
        pool.width(), pool.channels(), pool.classNames());
  }
}
