package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Layers#batchNorm} against hand computations, and {@link BatchNorm}'s statistics. */
class BatchNormTest {
  private static final float[][] X = {{1, 10}, {3, 20}, {-2, 0}, {6, 4}};
  private static final double EPS = 1e-5;

  private static SameDiff graph(BatchDomains domains) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
    new Layers(sd, "s", new Random(1)).with(domains).batchNorm("bn", x, 2).rename("y");
    // A learned scale and shift other than the initial 1 and 0.
    sd.getArrForVarName("s/bn/gamma").assign(Nd4j.createFromArray(new float[][] {{2, 0.5f}}));
    sd.getArrForVarName("s/bn/beta").assign(Nd4j.createFromArray(new float[][] {{1, -1}}));
    return sd;
  }

  private static INDArray run(SameDiff sd, float[][] x, String... outputs) {
    return sd.output(Map.of("x", Nd4j.createFromArray(x)), outputs).get(outputs[0]);
  }

  /** Hand-computed normalisation of rows {@code from..to-1} of a column by their own statistics. */
  private static double normalised(float[][] x, int from, int to, int row, int col) {
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += x[i][col];
    }
    mean /= to - from;
    double var = 0;
    for (int i = from; i < to; i++) {
      var += (x[i][col] - mean) * (x[i][col] - mean);
    }
    var /= to - from; // biased, as in training-mode batch normalisation
    double[] gamma = {2, 0.5};
    double[] beta = {1, -1};
    return (x[row][col] - mean) / Math.sqrt(var + EPS) * gamma[col] + beta[col];
  }

  @Test
  void trainingOnOneDomainNormalisesByTheWholeBatch() {
    INDArray y = run(graph(BatchDomains.SOURCE), X, "y");
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 2; c++) {
        assertThat(y.getDouble(r, c)).isCloseTo(normalised(X, 0, 4, r, c),
            org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void aJointBatchsHalvesAreNormalisedEachByItsOwnStatistics() {
    INDArray y = run(graph(BatchDomains.JOINT), X, "y");
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 2; c++) {
        int from = r < 2 ? 0 : 2;
        assertThat(y.getDouble(r, c)).as("row %d col %d", r, c)
            .isCloseTo(normalised(X, from, from + 2, r, c), org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  /**
   * Rows 0-1 (source) and 2-3 (target) differ: after one update from the initial running mean 0
   * and variance 1 with momentum 0.1, each domain's running statistics are its own half's.
   */
  @Test
  void eachDomainsRunningStatisticsComeFromItsOwnHalf() {
    SameDiff sd = graph(BatchDomains.JOINT);
    List<String> outputs = BatchNorm.batchOutputs(sd);
    assertThat(outputs).containsExactlyInAnyOrder("s/bn/batch_mean/source", "s/bn/batch_var/source",
        "s/bn/batch_mean/target", "s/bn/batch_var/target");
    Map<String, INDArray> o = sd.output(Map.of("x", Nd4j.createFromArray(X)),
        outputs.toArray(String[]::new));
    BatchNorm.update(sd, o, 0.1);
    // source rows {1,10},{3,20}: mean {2,15}, biased var {1,25}
    // target rows {-2,0},{6,4}: mean {2,2}, biased var {16,4}
    assertClose(sd.getArrForVarName("s/bn/running_mean/source"), 0.2, 1.5);
    assertClose(sd.getArrForVarName("s/bn/running_var/source"), 0.9 + 0.1, 0.9 + 2.5);
    assertClose(sd.getArrForVarName("s/bn/running_mean/target"), 0.2, 0.2);
    assertClose(sd.getArrForVarName("s/bn/running_var/target"), 0.9 + 1.6, 0.9 + 0.4);
  }

  @Test
  void inferenceReadsTheTargetsRunningStatistics() {
    SameDiff sd = graph(BatchDomains.TARGET_RUNNING);
    sd.getArrForVarName("s/bn/running_mean/target").assign(
        Nd4j.createFromArray(new float[][] {{1, 2}}));
    sd.getArrForVarName("s/bn/running_var/target").assign(
        Nd4j.createFromArray(new float[][] {{4, 9}}));
    // the source's differ and must not be read
    sd.getArrForVarName("s/bn/running_mean/source").assign(
        Nd4j.createFromArray(new float[][] {{100, 100}}));
    INDArray y = run(sd, X, "y");
    double[] mean = {1, 2};
    double[] var = {4, 9};
    double[] gamma = {2, 0.5};
    double[] beta = {1, -1};
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 2; c++) {
        double want = (X[r][c] - mean[c]) / Math.sqrt(var[c] + EPS) * gamma[c] + beta[c];
        assertThat(y.getDouble(r, c)).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-4));
      }
    }
    // A batch of one picture gives the same answer as in a batch: no batch statistics.
    INDArray one = run(sd, new float[][] {X[3]}, "y");
    assertThat(one.getDouble(0, 0)).isCloseTo(y.getDouble(3, 0),
        org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aGraphThatDoesNotSayWhichRowsAreWhichDomainIsRefused() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
    assertThatThrownBy(() -> new Layers(sd, "s", new Random(1)).batchNorm("bn", x, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot train a network with batch normalisation");
  }

  @Test
  void sourceAsTargetCopiesTheSourcesStatistics() {
    SameDiff sd = graph(BatchDomains.JOINT);
    sd.getArrForVarName("s/bn/running_mean/source").assign(3);
    sd.getArrForVarName("s/bn/running_var/source").assign(7);
    BatchNorm.sourceAsTarget(sd);
    assertClose(sd.getArrForVarName("s/bn/running_mean/target"), 3, 3);
    assertClose(sd.getArrForVarName("s/bn/running_var/target"), 7, 7);
  }

  private static void assertClose(INDArray a, double... want) {
    assertThat(a.length()).isEqualTo(want.length);
    for (int i = 0; i < want.length; i++) {
      assertThat(a.getDouble(i)).as("element %d", i)
          .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5));
    }
  }
}
