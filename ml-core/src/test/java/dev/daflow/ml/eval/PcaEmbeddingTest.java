package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link PcaEmbedding} and {@link FeatureSample}: the directions of most variance, drawn. */
class PcaEmbeddingTest {

  @Test
  void findsTheDirectionsOfMostVarianceInOrder() {
    // Points on a plane in 5-D: variance 100 along (1,1,0,0,0)/sqrt2, 1 along e3, tiny elsewhere.
    Random r = new Random(7);
    int n = 400;
    double[][] rows = new double[n][5];
    double[] along = new double[n];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian() * 10;
      double b = r.nextGaussian();
      along[i] = a;
      rows[i] = new double[] {a / Math.sqrt(2) + 3, a / Math.sqrt(2) - 1, b, 0.01 * r.nextGaussian(),
          0.01 * r.nextGaussian()};
    }
    PcaEmbedding e = PcaEmbedding.of(Nd4j.create(rows));

    assertThat(e.points()).hasNumberOfRows(n);
    assertThat(e.explained()[0]).isCloseTo(100.0 / 101, within(0.02));
    assertThat(e.explained()[1]).isCloseTo(1.0 / 101, within(0.01));
    // The first coordinate is the centred position along the main direction (up to its sign).
    double sign = Math.signum(e.points()[0][0] * along[0]);
    double mean = java.util.Arrays.stream(along).average().orElseThrow();
    for (int i = 0; i < n; i++) {
      assertThat(sign * e.points()[i][0]).isCloseTo(along[i] - mean, within(0.05));
    }
  }

  @Test
  void tooFewRowsAreRefused() {
    assertThatThrownBy(() -> PcaEmbedding.of(Nd4j.create(new double[][] {{1, 2, 3}})))
        .hasMessageContaining("at least 2 rows");
  }

  @Test
  void featureSamplesAreTheModelsFeaturesOfEvenlySpreadPictures() {
    ImageDataset mnist = Digits.mnistTrain(300);
    LeNet net = new LeNet();
    Preprocessing pre = Preprocessing.fit(mnist, net.input(), net.framing(), Scaling.UNIT);
    Model model = new Model(Graphs.inference(net, 3), net.name(), pre, ImageDataset.DIGITS, null);

    assertThat(FeatureSample.indices(300, 3)).containsExactly(0, 100, 200);
    INDArray sample = FeatureSample.of(model, mnist, 3);
    INDArray one = FeatureSample.of(model, mnist, new int[] {100});
    assertThat(sample.rows()).isEqualTo(3);
    assertThat(sample.columns()).isGreaterThan(1);
    assertThat(one.getRow(0).toDoubleVector()).containsExactly(sample.getRow(1).toDoubleVector(),
        within(1e-5));
    assertThatThrownBy(() -> FeatureSample.indices(3, 4)).hasMessageContaining("cannot take 4");
  }
}
