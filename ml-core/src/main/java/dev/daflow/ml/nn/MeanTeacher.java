package dev.daflow.ml.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The student's training graph of self-ensembling: French, Mackiewicz &amp; Fisher (2018),
 * "Self-ensembling for visual domain adaptation", ICLR (a mean teacher, Tarvainen &amp; Valpola
 * 2017, for domain adaptation).
 *
 * <p>{@code loss = CE(source) + w * L_cons} with the consistency loss of Sec. 3.1-3.2: for each
 * target row the mean over classes of the squared difference between the student's and the
 * teacher's predicted probabilities, counted only where the teacher is confident (its largest
 * probability above the threshold: "confidence thresholding", Sec. 3.2), summed over those rows
 * and divided by the number of target rows. The teacher's probabilities come in as a placeholder
 * (a separate forward pass of the teacher, an exponential moving average of the student), so no
 * gradient reaches the teacher; the mask of confident target rows too.
 *
 * <p>Plus the paper's class-balance term ("class balance loss"; the authors' code:
 * weight 0.005 inside the consistency term, scaled by the share of confident target rows): the
 * binary cross-entropy between each class's mean predicted probability over the target rows and
 * {@code 1/K}, summed over classes. It keeps the student from settling on a few classes.
 */
public final class MeanTeacher {
  /** Placeholder {@code [N, K]}: the teacher's probabilities (rows not counted: anything). */
  public static final String TEACHER_PROBS = "teacher_probs";
  /** Placeholder {@code [N, 1]}: 1 for a target row whose teacher prediction is confident. */
  public static final String CONSISTENCY_MASK = "consistency_mask";
  /** Placeholder: scalar, the number of target rows of the batch. */
  public static final String TARGET_ROWS = "target_rows";
  /** Loss: the thresholded consistency of student and teacher on target rows. */
  public static final String LOSS_CONSISTENCY = "loss_consistency";
  /** Loss: the class-balance term (before its weights). */
  public static final String LOSS_BALANCE = "loss_balance";
  /** Weight of the class-balance term within the consistency term (the authors' code: 0.005). */
  public static final double CLASS_BALANCE = 0.005;
  /** Weight {@code w} of the consistency loss (the authors' digit experiments: 3). */
  public static final double WEIGHT = 3.0;
  /** Confidence threshold of the teacher (Sec. 3.2: 0.968). */
  public static final double CONFIDENCE = 0.968;
  /** EMA decay of the teacher's weights (Sec. 3.1: 0.99). */
  public static final double EMA_DECAY = 0.99;
  /**
   * Largest random translation of a picture, in pixels, per 32 pixels of its height: the paper's
   * "tf" augmentation of small pictures (Sec. 3.3: translations by up to 2 pixels of its 32x32
   * digits; no flips for digits), scaled to the picture ({@link #maxShift}).
   */
  public static final int TRANSLATION_PER_32_PIXELS = 2;

  private MeanTeacher() {}

  /**
   * The largest translation, in pixels, for pictures {@code height} pixels high: {@link
   * #TRANSLATION_PER_32_PIXELS} per 32 pixels, rounded (28 and 32: 2; 64: 4), at least 1.
   */
  public static int maxShift(int height) {
    return Math.max(1, (int) Math.round(TRANSLATION_PER_32_PIXELS * height / 32.0));
  }

  /**
   * The student's graph: placeholders {@link Graphs#X}, {@link Graphs#Y} (all-zero rows are
   * target rows), {@link #TEACHER_PROBS}, {@link #CONSISTENCY_MASK}, {@link #TARGET_ROWS}; losses
   * {@link Graphs#LOSS_CLASS} and {@link #LOSS_CONSISTENCY}.
   */
  public static SameDiff student(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = Graphs.input(sd, Graphs.X, a);
    SDVariable y = sd.placeHolder(Graphs.Y, DataType.FLOAT, -1, a.classes());
    SDVariable teacher = sd.placeHolder(TEACHER_PROBS, DataType.FLOAT, -1, a.classes());
    SDVariable mask = sd.placeHolder(CONSISTENCY_MASK, DataType.FLOAT, -1, 1);
    SDVariable rows = sd.placeHolder(TARGET_ROWS, DataType.FLOAT);
    SDVariable f = a.encoder(new Layers(sd, Graphs.ENCODER, r).with(BatchDomains.JOINT), x, true);
    SDVariable logits =
        a.classifier(new Layers(sd, Graphs.CLASSIFIER, r).with(BatchDomains.JOINT), f, true);
    SDVariable lc = Graphs.crossEntropy(sd, Graphs.LOSS_CLASS, y, logits);
    SDVariable p = sd.nn().softmax(logits, 1); // the student's probabilities, for both terms
    SDVariable lcons = consistency(sd, LOSS_CONSISTENCY, p, teacher, mask, rows);
    SDVariable lbal = classBalance(sd, LOSS_BALANCE, p, y, rows, a.classes());
    // The balance term counts as much as the teacher's confident share of the target rows.
    SDVariable confidentShare = mask.sum().div(rows);
    lc.add(Graphs.LOSS, lcons.add(lbal.mul(confidentShare).mul(CLASS_BALANCE)).mul(WEIGHT));
    sd.setLossVariables(Graphs.LOSS);
    return sd;
  }

  /**
   * {@code sum_i mask_i * mean_k (p_ik - q_ik)^2 / rows}.
   *
   * @param p the student's probabilities {@code [N, K]}
   * @param q the teacher's probabilities {@code [N, K]}
   */
  public static SDVariable consistency(SameDiff sd, String name, SDVariable p, SDVariable q,
      SDVariable mask, SDVariable rows) {
    SDVariable perRow = sd.math().square(p.sub(q)).mean(true, 1); // [N, 1]
    return perRow.mul(mask).sum().div(name, rows);
  }

  /**
   * {@code sum_k BCE(mean_i p_ik, 1/K)} over the target rows {@code i} (the rows whose one-hot
   * label {@code y} is all zero), with the authors' "robust" binary cross-entropy {@code -(t
   * log(p + 1e-6) + (1 - t) log(1 - p + 1e-6))}.
   *
   * @param p the student's probabilities {@code [N, K]}
   * @param y the labels {@code [N, K]}, all-zero rows for target pictures
   * @param rows the number of target rows
   * @param classes {@code K}
   */
  public static SDVariable classBalance(SameDiff sd, String name, SDVariable p, SDVariable y,
      SDVariable rows, int classes) {
    SDVariable isTarget = y.sum(true, 1).rsub(1.0); // [N, 1]: 1 on target rows
    SDVariable mean = p.mul(isTarget).sum(0).div(rows); // [K]
    double t = 1.0 / classes;
    SDVariable bce = sd.math().log(mean.add(1e-6)).mul(t)
        .add(sd.math().log(mean.rsub(1.0 + 1e-6)).mul(1 - t)).neg();
    return bce.sum(name);
  }
}
