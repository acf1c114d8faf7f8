package dev.daflow.ml.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training graph of CDAN and CDAN+E: Long, Cao, Wang &amp; Jordan (2018), "Conditional
 * Adversarial Domain Adaptation", NeurIPS.
 *
 * <p>The domain discriminator does not read the features {@code f} alone, as DANN's does, but
 * their conditioning on the classifier's predictions {@code g = softmax(logits)} (Sec. 3.1-3.2):
 * the multilinear map {@code T(f, g) = g ⊗ f}, the flattened outer product ({@code g_k f_j} at
 * {@code k * F + j}, as the authors' and TLlib's code lay it out), when {@code F * K <= }{@value
 * #MULTILINEAR_MAX}; otherwise the randomized multilinear map {@code T(f, g) = (f R_f) ⊙ (g R_g)
 * / sqrt(d)} with fixed standard-normal {@code R_f [F, d]}, {@code R_g [K, d]} and {@code d =}
 * {@value #RANDOMIZED_DIM} (Sec. 3.2: the paper's switch at 4096 and its {@code d = 1024}). The
 * predictions enter the map detached (no gradient into the classifier through {@code g}), as in
 * the authors' code and TLlib; the map reaches the discriminator through DANN's {@link
 * GradientReversal}, so the encoder receives the domain gradient reversed and scaled by {@code
 * lambda}.
 *
 * <p>CDAN+E (Sec. 3.3, "entropy conditioning") weights each example's domain loss by {@code w =
 * 1 + exp(-H(g))}, {@code H} the entropy of its (detached) prediction, normalised to sum 1 within
 * each domain as in the authors' code ({@code source_weight / sum(source_weight) + target_weight
 * / sum(target_weight)}); the domain loss is then {@code sum(w * ce) / sum(w)}. TLlib normalises
 * over the whole batch instead, which with equal source and target batches differs only when the
 * two domains' confidence differs.
 *
 * <p>The discriminator is TLlib's and the paper's: {@code in -> 1024 -> 1024 -> 2} with ReLU (as
 * two logits, equivalent to the sigmoid unit), without its dropout (the platform's training graphs
 * take dropout only from the architecture).
 */
public final class Cdan {
  /** The largest {@code F * K} for which the full multilinear map is used. */
  public static final int MULTILINEAR_MAX = 4096;
  /** Output width {@code d} of the randomized multilinear map. */
  public static final int RANDOMIZED_DIM = 1024;
  /** Hidden width of the discriminator. */
  public static final int HIDDEN = 1024;
  /** Output: the conditioning {@code T(f, g)}, before the gradient reversal. */
  public static final String MAP = "cdan_map";
  /** Output: the detached predictions {@code g} the map reads. */
  public static final String PREDICTIONS = "cdan_predictions";
  /** Output (CDAN+E): each row's weight {@code [N, 1]}, summing to 1 within each domain. */
  public static final String WEIGHTS = "cdan_weights";
  /** Scope of the randomized map's fixed matrices {@code R_f}, {@code R_g}. */
  public static final String RANDOM_SCOPE = "cdan_random";
  /** Entropy's guard inside the logarithm, as TLlib's {@code entropy} and the authors'. */
  static final double EPSILON = 1e-5;

  private Cdan() {}

  /** Whether an architecture's features and classes get the randomized map. */
  public static boolean randomized(int featureSize, int classes) {
    return (long) featureSize * classes > MULTILINEAR_MAX;
  }

  /** Width of the conditioning {@code T(f, g)}. */
  public static int mapSize(int featureSize, int classes) {
    return randomized(featureSize, classes) ? RANDOMIZED_DIM : featureSize * classes;
  }

  /**
   * CDAN's training graph: placeholders {@link Graphs#X}, {@link Graphs#Y} (all-zero rows are
   * target rows), {@link Graphs#DOMAIN} (one-hot, column 0 source), {@link Graphs#LAMBDA}; losses
   * {@link Graphs#LOSS_CLASS} and {@link Graphs#LOSS_DOMAIN}, {@code loss} their sum.
   *
   * @param entropyConditioning true for CDAN+E
   */
  public static SameDiff graph(Architecture a, long seed, boolean entropyConditioning) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = Graphs.input(sd, Graphs.X, a);
    SDVariable y = sd.placeHolder(Graphs.Y, DataType.FLOAT, -1, a.classes());
    SDVariable d = sd.placeHolder(Graphs.DOMAIN, DataType.FLOAT, -1, 2);
    SDVariable lambda = sd.placeHolder(Graphs.LAMBDA, DataType.FLOAT);
    SDVariable f = sd.identity(Graphs.FEATURES, a.encoder(
        new Layers(sd, Graphs.ENCODER, r).with(BatchDomains.JOINT), x, true));
    SDVariable logits =
        a.classifier(new Layers(sd, Graphs.CLASSIFIER, r).with(BatchDomains.JOINT), f, true);
    SDVariable g = sd.identity(PREDICTIONS, Graphs.stop(sd.nn().softmax(logits, 1)));
    SDVariable h = sd.identity(MAP, map(sd, f, g, a.featureSize(), a.classes(), r));
    SDVariable dLogits = discriminator(new Layers(sd, Graphs.DOMAIN_CLASSIFIER, r),
        GradientReversal.apply(h, lambda), mapSize(a.featureSize(), a.classes()));
    SDVariable lc = Graphs.crossEntropy(sd, Graphs.LOSS_CLASS, y, logits);
    SDVariable domainTargets = d;
    if (entropyConditioning) {
      SDVariable w = sd.identity(WEIGHTS, entropyWeights(sd, g, d));
      // Each row's one-hot domain label scaled by its weight: the cross-entropy below is then
      // sum(w * ce) / sum(w).
      domainTargets = d.mul(w);
    }
    SDVariable ld = Graphs.crossEntropy(sd, Graphs.LOSS_DOMAIN, domainTargets, dLogits);
    lc.add(Graphs.LOSS, ld);
    sd.setLossVariables(Graphs.LOSS);
    return sd;
  }

  /**
   * {@code T(f, g)}: the flattened outer product {@code g ⊗ f}, or the randomized map with fixed
   * matrices drawn from {@code r} (graph constants under {@link #RANDOM_SCOPE}) when {@code F * K}
   * is over {@link #MULTILINEAR_MAX}.
   *
   * @param f features {@code [N, F]}
   * @param g predictions {@code [N, K]}
   */
  public static SDVariable map(SameDiff sd, SDVariable f, SDVariable g, int featureSize,
      int classes, Random r) {
    if (!randomized(featureSize, classes)) {
      // [N, K, 1] * [N, 1, F] -> [N, K, F] -> [N, K*F]
      SDVariable outer = sd.expandDims(g, 2).mul(sd.expandDims(f, 1));
      return sd.reshape(outer, -1, (long) featureSize * classes);
    }
    SDVariable rf = sd.constant(RANDOM_SCOPE + "/Rf", gaussian(r, featureSize, RANDOMIZED_DIM));
    SDVariable rg = sd.constant(RANDOM_SCOPE + "/Rg", gaussian(r, classes, RANDOMIZED_DIM));
    return f.mmul(rf).mul(g.mmul(rg)).div(Math.sqrt(RANDOMIZED_DIM));
  }

  /**
   * CDAN+E's weights {@code [N, 1]}: {@code 1 + exp(-H(g_i))}, divided by their sum over the rows
   * of the same domain.
   *
   * @param g detached predictions {@code [N, K]}
   * @param d one-hot domain labels {@code [N, 2]}
   */
  public static SDVariable entropyWeights(SameDiff sd, SDVariable g, SDVariable d) {
    SDVariable entropy = g.mul(sd.math().log(g.add(EPSILON))).sum(true, 1).neg();
    SDVariable e = sd.math().exp(entropy.neg()).add(1.0); // [N, 1]
    SDVariable perDomain = d.mul(e); // [N, 2]: e in its domain's column
    SDVariable sums = perDomain.sum(true, 0); // [1, 2]
    return perDomain.div(sums).sum(true, 1); // [N, 1]
  }

  /** {@code in -> 1024 -> ReLU -> 1024 -> ReLU -> 2}. */
  static SDVariable discriminator(Layers l, SDVariable h, int in) {
    SDVariable z = l.denseRelu("fc1", h, in, HIDDEN);
    z = l.denseRelu("fc2", z, HIDDEN, HIDDEN);
    return l.dense("out", z, HIDDEN, 2);
  }

  private static org.nd4j.linalg.api.ndarray.INDArray gaussian(Random r, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Nd4j.create(v, new long[] {rows, cols}, 'c');
  }
}
