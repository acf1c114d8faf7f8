package dev.daflow.ml.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The training graph of MCC: Jin, Wang, Long &amp; Wang (2020), "Minimum Class Confusion for
 * Versatile Domain Adaptation", ECCV. The source cross-entropy plus {@code mu} times the class
 * confusion of the target predictions (Sec. 3):
 *
 * <ol>
 *   <li>temperature-scaled probabilities {@code p = softmax(z / T)} (eq. 1);
 *   <li>example weights from their (detached) entropy, {@code w_i = 1 + exp(-H(p_i))}, scaled to
 *       sum to the number of target rows {@code B} (eq. 4);
 *   <li>the class-correlation matrix {@code C = (p * w)^T p}, {@code [K, K]} (eq. 2-3, 5);
 *   <li>category normalisation: column {@code j} divided by its sum {@code sum_i C_ij} (eq. 6);
 *   <li>{@code L_MCC = (sum(C) - trace(C)) / K}: the mean over classes of the confusion with the
 *       other classes (eq. 7).
 * </ol>
 *
 * <p>Source and target rows share one encoder pass; the target rows are marked by the {@value
 * #TARGET_MASK} placeholder ({@code [N, 1]}, 1 for a target row), so source rows carry no MCC
 * weight. {@code T} is {@value #TEMPERATURE} and {@code mu} {@value #TRADE_OFF}, the values of
 * TLlib's MCC scripts (the paper reports {@code T} in {@code [2, 3]} as equally good, Sec. 4.6).
 */
public final class Mcc {
  /** Placeholder {@code [N, 1]}: 1 for the target rows the class confusion is computed on. */
  public static final String TARGET_MASK = "target_mask";
  /** Loss: the minimum class confusion of the target rows. */
  public static final String LOSS_MCC = "loss_mcc";
  /** Temperature {@code T} of the rescaled softmax. */
  public static final double TEMPERATURE = 2.5;
  /** Weight {@code mu} of the MCC loss next to the source cross-entropy. */
  public static final double TRADE_OFF = 1.0;
  /** Entropy's guard inside the logarithm, as TLlib's {@code entropy}. */
  static final double EPSILON = 1e-5;

  private Mcc() {}

  /**
   * MCC's training graph: placeholders {@link Graphs#X}, {@link Graphs#Y} (all-zero rows are
   * target rows) and {@link #TARGET_MASK}; losses {@link Graphs#LOSS_CLASS} and {@link #LOSS_MCC},
   * {@code loss = loss_class + mu * loss_mcc}.
   */
  public static SameDiff graph(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = Graphs.input(sd, Graphs.X, a);
    SDVariable y = sd.placeHolder(Graphs.Y, DataType.FLOAT, -1, a.classes());
    SDVariable mask = sd.placeHolder(TARGET_MASK, DataType.FLOAT, -1, 1);
    SDVariable f = a.encoder(new Layers(sd, Graphs.ENCODER, r).with(BatchDomains.JOINT), x, true);
    SDVariable logits =
        a.classifier(new Layers(sd, Graphs.CLASSIFIER, r).with(BatchDomains.JOINT), f, true);
    SDVariable lc = Graphs.crossEntropy(sd, Graphs.LOSS_CLASS, y, logits);
    SDVariable lm = loss(sd, LOSS_MCC, logits, mask, TEMPERATURE, a.classes());
    lc.add(Graphs.LOSS, lm.mul(TRADE_OFF));
    sd.setLossVariables(Graphs.LOSS);
    return sd;
  }

  /**
   * The MCC loss of the rows {@code mask} marks.
   *
   * @param logits {@code [N, K]}
   * @param mask {@code [N, 1]}, 1 for the rows to count, 0 for the others
   */
  public static SDVariable loss(SameDiff sd, String name, SDVariable logits, SDVariable mask,
      double temperature, int classes) {
    SDVariable p = sd.nn().softmax(logits.div(temperature), 1); // [N, K]
    SDVariable entropy = p.mul(sd.math().log(p.add(EPSILON))).sum(true, 1).neg(); // [N, 1]
    SDVariable e = Graphs.stop(sd.math().exp(entropy.neg()).add(1.0)).mul(mask);
    SDVariable w = e.mul(mask.sum()).div(e.sum()); // sums to the number of target rows
    SDVariable confusion = sd.mmul(sd.transpose(p.mul(w)), p); // [K, K]
    // Column j divided by sum_i C_ij (C is symmetric: its row sums are its column sums).
    SDVariable normalised = confusion.div(sd.reshape(confusion.sum(1), 1, classes));
    SDVariable offDiagonal = normalised.sum().sub(sd.math().diagPart(normalised).sum());
    return offDiagonal.div(name, classes);
  }
}
