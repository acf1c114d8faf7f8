package dev.daflow.ml.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The target-side graph of SHOT-IM: Liang, Hu &amp; Feng (2020), "Do We Really Need to Access the
 * Source Data? Source Hypothesis Transfer for Unsupervised Domain Adaptation", ICML, Sec. 3.2.
 *
 * <p>The source hypothesis (the classifier head trained on the source) is frozen: its parameters
 * are graph constants, so no gradient is computed for them and no optimiser can move them. Only
 * the encoder learns, on target pictures alone, by information maximisation (eq. 2):
 *
 * <pre>
 *   L_IM = E_x[ H(p(x)) ] - H( E_x[p(x)] ),   H(q) = -sum_k q_k log(q_k + 1e-5)
 * </pre>
 *
 * <p>the mean entropy of the predictions (each prediction confident) minus the entropy of the
 * mean prediction (all classes used: diverse), as the authors' code computes it over each batch,
 * with the same {@code 1e-5} guard.
 */
public final class Shot {
  /** Loss: the information-maximisation loss of the target batch. */
  public static final String LOSS_IM = "loss_im";
  /** Entropy's guard inside the logarithm, as the authors' {@code Entropy}. */
  static final double EPSILON = 1e-5;

  private Shot() {}

  /**
   * SHOT-IM's adaptation graph: placeholder {@link Graphs#X} (target pictures only), a trainable
   * encoder and a frozen classifier (run without dropout, as the authors' {@code netC.eval()});
   * loss {@link #LOSS_IM}.
   */
  public static SameDiff adaptation(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = Graphs.input(sd, Graphs.X, a);
    SDVariable f = a.encoder(new Layers(sd, Graphs.ENCODER, r), x, true);
    SDVariable logits = a.classifier(new Layers(sd, Graphs.CLASSIFIER, r, true), f, false);
    informationMaximisation(sd, LOSS_IM, logits);
    sd.setLossVariables(LOSS_IM);
    return sd;
  }

  /**
   * {@code L_IM} of a batch of logits {@code [N, K]}: mean per-row entropy of {@code
   * softmax(logits)} minus the entropy of the mean prediction.
   */
  public static SDVariable informationMaximisation(SameDiff sd, String name, SDVariable logits) {
    SDVariable p = sd.nn().softmax(logits, 1);
    SDVariable meanEntropy = p.mul(sd.math().log(p.add(EPSILON))).sum(1).neg().mean();
    SDVariable meanPrediction = p.mean(0);
    SDVariable diversity = meanPrediction.mul(sd.math().log(meanPrediction.add(EPSILON))).sum()
        .neg();
    return meanEntropy.sub(name, diversity);
  }
}
