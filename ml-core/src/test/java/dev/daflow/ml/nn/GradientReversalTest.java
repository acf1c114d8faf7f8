package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Numeric gradient check of the DANN graph: the feature extractor must receive the label
 * gradient minus {@code lambda} times the domain gradient; the label and domain heads their plain
 * gradients (Ganin &amp; Lempitsky 2015, eq. 13-15).
 */
class GradientReversalTest {
  private static final double LAMBDA = 0.7;
  private static final double EPS = 1e-2;

  @Test
  void encoderGetsReversedDomainGradientAndHeadsThePlainOne() {
    SameDiff sd = Graphs.dann(new LeNet(), 11);
    Map<String, INDArray> ph = batch();
    Map<String, INDArray> analytic = sd.calculateGradients(ph, Graphs.trainable(sd));
    Random pick = new Random(5);
    for (String param : List.of("encoder/conv1/W", "encoder/conv2/b", "encoder/fc3/W",
        "classifier/out/W", "classifier/out/b", "domain/fc1/W", "domain/out/W")) {
      INDArray w = sd.getArrForVarName(param);
      for (int k = 0; k < 4; k++) {
        long i = pick.nextInt((int) w.length());
        double[] dClass = numeric(sd, ph, w, i, Graphs.LOSS_CLASS);
        double[] dDomain = numeric(sd, ph, w, i, Graphs.LOSS_DOMAIN);
        double expected = param.startsWith("encoder/")
            ? dClass[0] - LAMBDA * dDomain[0]
            : dClass[0] + dDomain[0];
        double got = analytic.get(param).getDouble(i);
        double tolerance = 2e-3 + 0.05 * Math.abs(expected);
        assertThat(got).as("%s[%d]", param, i).isCloseTo(expected,
            org.assertj.core.data.Offset.offset(tolerance));
      }
    }
  }

  @Test
  void reversalIsTheIdentityForward() {
    SameDiff sd = SameDiff.create();
    var f = sd.var("f", Nd4j.createFromArray(1f, -2f, 3f));
    var lambda = sd.placeHolder("lambda", DataType.FLOAT);
    GradientReversal.apply(f, lambda).rename("out");
    INDArray out = sd.output(Map.of("lambda", Nd4j.scalar(0.3f)), "out").get("out");
    assertThat(out.toFloatVector()).containsExactly(new float[] {1f, -2f, 3f},
        org.assertj.core.data.Offset.offset(1e-6f));
  }

  /** Central difference of one loss w.r.t. one parameter entry, in double precision math. */
  private static double[] numeric(SameDiff sd, Map<String, INDArray> ph, INDArray w, long i,
      String loss) {
    double orig = w.getDouble(i);
    w.putScalar(i, orig + EPS);
    double plus = sd.output(ph, loss).get(loss).getDouble(0);
    w.putScalar(i, orig - EPS);
    double minus = sd.output(ph, loss).get(loss).getDouble(0);
    w.putScalar(i, orig);
    return new double[] {(plus - minus) / (2 * EPS)};
  }

  private static Map<String, INDArray> batch() {
    Nd4j.getRandom().setSeed(3);
    int n = 8;
    INDArray x = Nd4j.rand(DataType.FLOAT, 2 * n, 1, 28, 28);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 2 * n, 10);
    INDArray d = Nd4j.zeros(DataType.FLOAT, 2 * n, 2);
    for (int r = 0; r < 2 * n; r++) {
      if (r < n) {
        y.putScalar(r, r % 10, 1f);
      }
      d.putScalar(r, r < n ? 0 : 1, 1f);
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, x);
    ph.put(Graphs.Y, y);
    ph.put(Graphs.DOMAIN, d);
    ph.put(Graphs.LAMBDA, Nd4j.scalar((float) LAMBDA));
    return ph;
  }
}
