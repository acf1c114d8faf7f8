package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.MeanTeacher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Self-ensembling (a mean teacher): French, Mackiewicz &amp; Fisher (2018), "Self-ensembling for
 * visual domain adaptation", ICLR. A student network learns from labelled source batches and from
 * agreeing, on target batches, with a teacher whose weights are the exponential moving average of
 * the student's ({@code teacher = 0.99 teacher + 0.01 student} after every step, Sec. 3.1). The
 * student and the teacher see the same target pictures under independent translations and noise
 * (the student's source pictures get them too); only target rows
 * on which the teacher is confident (largest probability above 0.968) count (Sec. 3.2). The
 * exported model is the teacher, as in the paper's reported results.
 *
 * <p>Recipe of the paper's digit experiments: Adam, learning rate 1e-3 (constant), consistency
 * weight 3, confidence threshold 0.968, EMA decay 0.99; on every student and teacher input, a
 * random translation by up to 2 pixels per 32 of height, in whole pixels, the border repeated
 * into the uncovered edge (the paper's "tf" augmentation, Sec. 3.3, without flips, which digits do
 * not allow), then Gaussian noise ({@code sigma = 0.1} on the standardised pictures).
 * With the paper's class-balance loss ({@link MeanTeacher#classBalance}). Departures:
 * whole-pixel translations (the authors' code draws
 * sub-pixel affine ones); the platform's default epochs and batch size. Translations and noise
 * are drawn from the run's seed and the step, so a resumed run ends exactly as an uninterrupted
 * one; the teacher's weights are part of the checkpoint.
 */
final class MeanTeacherProcedure implements Procedure {
  /** Standard deviation of the Gaussian noise on each (standardised) input value. */
  static final double NOISE = 0.1;
  private final SameDiff student;
  private final SameDiff teacher;
  private final Optimizer optimizer;
  private final Phase phase;

  MeanTeacherProcedure(TrainingConfig c, Architecture arch, DomainData data) {
    if (data.target() == null) {
      throw new IllegalArgumentException("the mean teacher needs target-domain pictures");
    }
    this.student = MeanTeacher.student(arch, c.seed());
    this.teacher = Graphs.inference(arch, c.seed());
    this.optimizer = new Adam(c.momentum(), 0.999, 1e-8, c.weightDecay());
    this.phase = new AdaptPhase(c, arch, data);
  }

  @Override
  public List<Phase> phases() {
    return List.of(phase);
  }

  @Override
  public Map<String, SameDiff> graphs() {
    return Map.of("student", student, "teacher", teacher);
  }

  @Override
  public Map<String, Optimizer> optimizers() {
    return Map.of("student", optimizer);
  }

  @Override
  public void exportTo(SameDiff inference) {
    Graphs.copyModel(teacher, inference);
  }

  private final class AdaptPhase extends JointBatchPhase {
    private final List<String> params;
    private final List<String> teacherParams;
    private final List<String> losses = List.of(Graphs.LOSS_CLASS,
        MeanTeacher.LOSS_CONSISTENCY, MeanTeacher.LOSS_BALANCE);

    AdaptPhase(TrainingConfig c, Architecture arch, DomainData data) {
      super(c, arch, data);
      this.params = Graphs.trainable(student);
      this.teacherParams = Graphs.trainable(teacher);
    }

    @Override
    public void begin() {
      // The teacher starts as the (initial) student.
      Graphs.copyModel(student, teacher);
    }

    @Override
    public Map<String, Double> step(Step s, Batch batch) {
      int b = c.batchSize();
      int k = arch.classes();
      Map<String, INDArray> ph = batch.placeholders();
      INDArray x = ph.get(Graphs.X);
      // The teacher's view of the target rows and the student's view of every row: the same
      // pictures under independent translations and noise.
      INDArray teacherX = x.get(NDArrayIndex.interval(b, 2 * b)).dup();
      teacherX = perturb(teacherX, s.iteration(), 2);
      x = perturb(x, s.iteration(), 1);
      ph.put(Graphs.X, x);
      INDArray q = teacher.output(Map.of(Graphs.X, teacherX), Graphs.PROBS).get(Graphs.PROBS);
      INDArray teacherProbs = Nd4j.zeros(DataType.FLOAT, 2 * b, k);
      teacherProbs.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).assign(q);
      INDArray mask = Nd4j.zeros(DataType.FLOAT, 2 * b, 1);
      INDArray confidence = q.max(1);
      for (int i = 0; i < b; i++) {
        if (confidence.getDouble(i) > MeanTeacher.CONFIDENCE) {
          mask.putScalar(b + i, 0, 1f);
        }
      }
      ph.put(MeanTeacher.TEACHER_PROBS, teacherProbs);
      ph.put(MeanTeacher.CONSISTENCY_MASK, mask);
      ph.put(MeanTeacher.TARGET_ROWS, Nd4j.scalar((float) b));
      double lr = c.learningRate();
      Map<String, Double> out = new LinkedHashMap<>(
          Steps.descend(student, ph, losses, params, optimizer, lr, c.tuning().clipNorm()));
      // teacher <- decay * teacher + (1 - decay) * student
      for (String p : teacherParams) {
        teacher.getArrForVarName(p).muli(MeanTeacher.EMA_DECAY)
            .addi(student.getArrForVarName(p).mul(1 - MeanTeacher.EMA_DECAY));
      }
      // Batch-normalisation statistics are not learned: the teacher reads the student's.
      BatchNorm.copyRunning(student, teacher);
      out.put("lr", lr);
      return out;
    }

    /** {@code a} translated ({@link #translate}) and with Gaussian noise, seeded. */
    private INDArray perturb(INDArray a, long iteration, int stream) {
      long[] shape = a.shape();
      float[] pictures = a.dup('c').data().asFloat();
      SplittableRandom r = new SplittableRandom(BatchSampler.mix(c.seed(), iteration,
          0x7E4C_1000L + stream));
      translate(pictures, (int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3],
          MeanTeacher.maxShift((int) shape[2]), r);
      INDArray out = Nd4j.create(pictures, shape, 'c');
      addNoise(out, iteration, stream);
      return out;
    }

    /** Adds seeded Gaussian noise to every value of {@code a} (in place). */
    private void addNoise(INDArray a, long iteration, int stream) {
      SplittableRandom r = new SplittableRandom(BatchSampler.mix(c.seed(), iteration,
          0x7E4C_0000L + stream));
      float[] noise = new float[(int) a.length()];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) (r.nextGaussian() * NOISE);
      }
      a.addi(Nd4j.create(noise, a.shape(), 'c'));
    }
  }

  /**
   * Translates each of {@code n} NCHW pictures in place by its own whole-pixel offset {@code (dx,
   * dy)}, both uniform in {@code [-maxShift, maxShift]} (drawn in that order, picture by
   * picture): the value at {@code (y, x)} becomes that at {@code (y - dy, x - dx)}, and where that
   * falls outside the picture, the nearest edge pixel's (the border repeated, so a background of
   * any colour or texture stays one).
   */
  static void translate(float[] pictures, int n, int channels, int height, int width,
      int maxShift, SplittableRandom r) {
    float[] plane = new float[height * width];
    for (int k = 0; k < n; k++) {
      int dx = r.nextInt(2 * maxShift + 1) - maxShift;
      int dy = r.nextInt(2 * maxShift + 1) - maxShift;
      if (dx == 0 && dy == 0) {
        continue;
      }
      for (int ch = 0; ch < channels; ch++) {
        int off = (k * channels + ch) * height * width;
        System.arraycopy(pictures, off, plane, 0, plane.length);
        for (int y = 0; y < height; y++) {
          int sy = Math.min(height - 1, Math.max(0, y - dy));
          for (int x = 0; x < width; x++) {
            int sx = Math.min(width - 1, Math.max(0, x - dx));
            pictures[off + y * width + x] = plane[sy * width + sx];
          }
        }
      }
    }
  }
}
