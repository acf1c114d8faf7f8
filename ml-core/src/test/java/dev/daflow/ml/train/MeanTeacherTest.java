package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.daflow.contract.Method;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import dev.daflow.ml.nn.MeanTeacher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Self-ensembling (French et al. 2018): its consistency loss and its teacher's update. */
class MeanTeacherTest {

  @Test
  void consistencyCountsConfidentTargetRowsOnly() {
    float[][] p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.5f, 0.5f}, {0.6f, 0.4f}};
    float[][] q = {{0.1f, 0.9f}, {0.1f, 0.9f}, {0.99f, 0.01f}, {0.3f, 0.7f}};
    float[][] mask = {{0}, {1}, {1}, {0}}; // row 0 is a source row, row 3 not confident
    SameDiff sd = SameDiff.create();
    SDVariable pv = sd.placeHolder("p", DataType.FLOAT, -1, 2);
    SDVariable qv = sd.placeHolder("q", DataType.FLOAT, -1, 2);
    SDVariable mv = sd.placeHolder("m", DataType.FLOAT, -1, 1);
    SDVariable rows = sd.placeHolder("n", DataType.FLOAT);
    MeanTeacher.consistency(sd, "l", pv, qv, mv, rows);
    double got = sd.output(Map.of("p", Nd4j.createFromArray(p), "q", Nd4j.createFromArray(q),
        "m", Nd4j.createFromArray(mask), "n", Nd4j.scalar(3f)), "l").get("l").getDouble(0);
    // Rows 1 and 2, each the mean over the two classes of the squared differences, over the 3
    // target rows: ((0.01 + 0.01) / 2 + (0.2401 + 0.2401) / 2) / 3.
    double expected = ((0.1 * 0.1 + 0.1 * 0.1) / 2 + (0.49 * 0.49 * 2) / 2) / 3;
    assertThat(got).isCloseTo(expected, within(1e-6));
  }

  /** The class-balance term: per class, BCE of the target rows' mean probability against 1/K. */
  @Test
  void classBalanceComparesTheTargetRowsMeanPredictionWithUniform() {
    float[][] p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}};
    float[][] y = {{1, 0}, {0, 0}, {0, 0}}; // row 0 is a source row, left out
    SameDiff sd = SameDiff.create();
    SDVariable pv = sd.placeHolder("p", DataType.FLOAT, -1, 2);
    SDVariable yv = sd.placeHolder("y", DataType.FLOAT, -1, 2);
    SDVariable rows = sd.placeHolder("n", DataType.FLOAT);
    MeanTeacher.classBalance(sd, "l", pv, yv, rows, 2);
    double got = sd.output(Map.of("p", Nd4j.createFromArray(p), "y", Nd4j.createFromArray(y),
        "n", Nd4j.scalar(2f)), "l").get("l").getDouble(0);
    // Target rows' mean: (0.4, 0.6); each class -(0.5 log m + 0.5 log(1 - m)), summed.
    double perClass = -(0.5 * Math.log(0.4) + 0.5 * Math.log(0.6));
    assertThat(got).isCloseTo(2 * perClass, within(1e-4));
    // A balanced prediction costs less: the term's minimum is at 1/K.
    double balanced = sd.output(Map.of("p", Nd4j.createFromArray(new float[][] {{1, 0},
        {0.5f, 0.5f}, {0.5f, 0.5f}}), "y", Nd4j.createFromArray(y), "n", Nd4j.scalar(2f)), "l")
        .get("l").getDouble(0);
    assertThat(balanced).isCloseTo(-2 * Math.log(0.5), within(1e-4)).isLessThan(got);
  }

  /** After every step the teacher is 0.99 of itself plus 0.01 of the updated student. */
  @Test
  void teacherIsTheMovingAverageOfTheStudent() {
    ImageDataset source = Digits.mnistTrain(64);
    Preprocessing pre = Preprocessing.fit(source, new LeNet().input(), new LeNet().framing(),
        Scaling.UNIT);
    DomainData data = DomainData.of(source, Digits.uspsTrain(64), pre);
    TrainingConfig c = TrainingConfig.defaults(Method.MEAN_TEACHER, "lenet").withEpochs(1)
        .withBatchSize(16);
    MeanTeacherProcedure p = new MeanTeacherProcedure(c, new LeNet(), data);
    Phase phase = p.phases().get(0);
    phase.begin();
    SameDiff student = p.graphs().get("student");
    SameDiff teacher = p.graphs().get("teacher");
    List<String> names = Graphs.trainable(teacher);
    assertThat(names).isNotEmpty();
    BatchSampler s = new BatchSampler(64, 1, 0, 0);
    BatchSampler t = new BatchSampler(64, 1, 0, 1);
    for (int step = 0; step < 2; step++) {
      Map<String, INDArray> before = new HashMap<>();
      names.forEach(n -> before.put(n, teacher.getArrForVarName(n).dup()));
      Map<String, Double> out = phase.step(new Phase.Step(step, step / 4.0, s, t));
      assertThat(out).containsKeys(Graphs.LOSS_CLASS, MeanTeacher.LOSS_CONSISTENCY);
      for (String n : names) {
        INDArray expected = before.get(n).mul(0.99).addi(student.getArrForVarName(n).mul(0.01));
        assertThat(teacher.getArrForVarName(n).sub(expected).amaxNumber().doubleValue())
            .as("%s, step %d", n, step).isLessThan(1e-6);
        // ...and the student did move: the teacher is not simply a copy.
        assertThat(student.getArrForVarName(n)).as(n).isNotEqualTo(teacher.getArrForVarName(n));
      }
    }
  }

  /**
   * The paper's translations: each picture moves by the offset the seeded generator draws for it,
   * the border repeated into the uncovered edge, every channel alike; the shift scales with the
   * picture (2 pixels at 28 and 32, 4 at 64).
   */
  @Test
  void translationMovesEachPictureByItsDrawnOffsetRepeatingTheBorder() {
    int h = 5;
    int w = 6;
    float[] pictures = new float[2 * 2 * h * w]; // 2 pictures, 2 channels
    for (int i = 0; i < pictures.length; i++) {
      pictures[i] = i;
    }
    float[] before = pictures.clone();
    MeanTeacherProcedure.translate(pictures, 2, 2, h, w, 2, new java.util.SplittableRandom(7));
    java.util.SplittableRandom draws = new java.util.SplittableRandom(7);
    for (int k = 0; k < 2; k++) {
      int dx = draws.nextInt(5) - 2;
      int dy = draws.nextInt(5) - 2;
      for (int ch = 0; ch < 2; ch++) {
        int off = (k * 2 + ch) * h * w;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int sy = Math.min(h - 1, Math.max(0, y - dy));
            int sx = Math.min(w - 1, Math.max(0, x - dx));
            assertThat(pictures[off + y * w + x]).as("picture %d channel %d (%d, %d), shift "
                + "(%d, %d)", k, ch, y, x, dx, dy).isEqualTo(before[off + sy * w + sx]);
          }
        }
      }
    }
    // Seed 7 moves at least one of the two (else the check above would check nothing new).
    assertThat(pictures).isNotEqualTo(before);
    // A single bright pixel in the middle lands exactly (dx, dy) away.
    float[] dot = new float[7 * 7];
    dot[3 * 7 + 3] = 1;
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    int dx = r.nextInt(5) - 2;
    int dy = r.nextInt(5) - 2;
    MeanTeacherProcedure.translate(dot, 1, 1, 7, 7, 2, new java.util.SplittableRandom(11));
    assertThat(dot[(3 + dy) * 7 + 3 + dx]).isEqualTo(1f);
    assertThat(dev.daflow.ml.nn.MeanTeacher.maxShift(28)).isEqualTo(2);
    assertThat(dev.daflow.ml.nn.MeanTeacher.maxShift(32)).isEqualTo(2);
    assertThat(dev.daflow.ml.nn.MeanTeacher.maxShift(64)).isEqualTo(4);
  }
}
