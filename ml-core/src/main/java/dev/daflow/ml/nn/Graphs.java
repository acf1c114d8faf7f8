package dev.daflow.ml.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the SameDiff graphs of each method from an {@link Architecture}. Names of placeholders,
 * outputs and parameter scopes are the constants here, shared by trainers, evaluator and bundle.
 *
 * <p>Parameters are initialised from {@code new Random(seed)} in a fixed order (encoder,
 * classifier, domain classifier), so a graph is a function of its architecture and seed.
 */
public final class Graphs {
  /** Input pictures {@code [N, C, H, W]}. */
  public static final String X = "x";
  /** ADDA: source pictures. */
  public static final String X_SOURCE = "x_source";
  /** ADDA: target pictures. */
  public static final String X_TARGET = "x_target";
  /** One-hot class labels {@code [N, classes]}; all-zero rows are unlabelled (target) rows. */
  public static final String Y = "y";
  /** One-hot domain labels {@code [N, 2]}: column 0 source, column 1 target. */
  public static final String DOMAIN = "domain";
  /** Scalar gradient-reversal factor. */
  public static final String LAMBDA = "lambda";
  /** Inference graphs: the encoder's output, the features the classifier reads. */
  public static final String FEATURES = "features";
  public static final String LOGITS = "logits";
  public static final String PROBS = "probs";
  public static final String LOSS = "loss";
  public static final String LOSS_CLASS = "loss_class";
  public static final String LOSS_DOMAIN = "loss_domain";
  /** ADDA: discriminator loss (source labelled 0, target 1). */
  public static final String LOSS_DISCRIMINATOR = "loss_discriminator";
  /** ADDA: target-encoder loss with inverted labels. */
  public static final String LOSS_MAPPING = "loss_mapping";

  public static final String ENCODER = "encoder";
  public static final String CLASSIFIER = "classifier";
  public static final String DOMAIN_CLASSIFIER = "domain";
  /** ADDA: the frozen pretrained source encoder. */
  public static final String SOURCE_ENCODER = "source_encoder";
  /** ADDA: a frozen copy of the discriminator for the mapping loss. */
  public static final String DOMAIN_COPY = "domain_copy";

  private Graphs() {}

  /** Inference graph: {@code x -> features, logits, probs}; no dropout. */
  public static SameDiff inference(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = input(sd, X, a);
    // Batch normalisation with the target's statistics: the served model is the target's (AdaBN).
    SDVariable f = sd.identity(FEATURES,
        a.encoder(new Layers(sd, ENCODER, r).with(BatchDomains.TARGET_RUNNING), x, false));
    SDVariable logits = a.classifier(new Layers(sd, CLASSIFIER, r).with(BatchDomains.TARGET_RUNNING),
        f, false);
    sd.nn().softmax(PROBS, sd.identity(LOGITS, logits), 1);
    return sd;
  }

  /** Supervised graph: {@code x, y -> loss} (mean cross-entropy). */
  public static SameDiff supervised(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = input(sd, X, a);
    SDVariable y = sd.placeHolder(Y, DataType.FLOAT, -1, a.classes());
    SDVariable f = a.encoder(new Layers(sd, ENCODER, r).with(BatchDomains.SOURCE), x, true);
    SDVariable logits =
        a.classifier(new Layers(sd, CLASSIFIER, r).with(BatchDomains.SOURCE), f, true);
    crossEntropy(sd, LOSS, y, logits);
    sd.setLossVariables(LOSS);
    return sd;
  }

  /**
   * DANN graph (Ganin &amp; Lempitsky 2015, Fig. 1): one encoder pass over source and target rows;
   * the label classifier's loss counts labelled rows only; the domain classifier reads the features
   * through a {@link GradientReversal} layer. {@code loss = loss_class + loss_domain}.
   */
  public static SameDiff dann(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable x = input(sd, X, a);
    SDVariable y = sd.placeHolder(Y, DataType.FLOAT, -1, a.classes());
    SDVariable d = sd.placeHolder(DOMAIN, DataType.FLOAT, -1, 2);
    SDVariable lambda = sd.placeHolder(LAMBDA, DataType.FLOAT);
    // Rows 0..b-1 source, b..2b-1 target: each half batch-normalised by its own statistics.
    SDVariable f = a.encoder(new Layers(sd, ENCODER, r).with(BatchDomains.JOINT), x, true);
    SDVariable logits =
        a.classifier(new Layers(sd, CLASSIFIER, r).with(BatchDomains.JOINT), f, true);
    SDVariable dLogits =
        a.domainClassifier(new Layers(sd, DOMAIN_CLASSIFIER, r), GradientReversal.apply(f, lambda));
    SDVariable lc = crossEntropy(sd, LOSS_CLASS, y, logits);
    SDVariable ld = crossEntropy(sd, LOSS_DOMAIN, d, dLogits);
    lc.add(LOSS, ld);
    sd.setLossVariables(LOSS);
    return sd;
  }

  /**
   * ADDA adversarial graph (Tzeng et al. 2017, Sec. 4): the frozen source encoder {@code M_s}, the
   * target encoder {@code M_t}, the discriminator {@code D} and a frozen copy of it. The
   * discriminator loss reads detached features (source = domain 0, target = domain 1); the mapping
   * loss is the inverted-label GAN loss {@code -log D(M_t(x_t))} of the target features labelled
   * as source, read through the copy so that only {@code M_t} receives its gradient. Both losses
   * come from one forward pass, as in the authors' code.
   */
  public static SameDiff addaAdversarial(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    Random r = new Random(seed);
    SDVariable xs = input(sd, X_SOURCE, a);
    SDVariable xt = input(sd, X_TARGET, a);
    SDVariable ds = sd.placeHolder("domain_source", DataType.FLOAT, -1, 2);
    SDVariable dt = sd.placeHolder("domain_target", DataType.FLOAT, -1, 2);
    SDVariable dInverted = sd.placeHolder("domain_inverted", DataType.FLOAT, -1, 2);
    SDVariable fs = a.encoder(
        new Layers(sd, SOURCE_ENCODER, r, true).with(BatchDomains.SOURCE_RUNNING), xs, false);
    SDVariable ft = a.encoder(new Layers(sd, ENCODER, r).with(BatchDomains.TARGET), xt, false);
    SDVariable fAll = sd.concat(0, fs, stop(ft));
    SDVariable dAll = a.domainClassifier(new Layers(sd, DOMAIN_CLASSIFIER, r), fAll);
    SDVariable lD = crossEntropy(sd, LOSS_DISCRIMINATOR, sd.concat(0, ds, dt), dAll);
    SDVariable dCopy = a.domainClassifier(new Layers(sd, DOMAIN_COPY, new Random(seed), true), ft);
    SDVariable lM = crossEntropy(sd, LOSS_MAPPING, dInverted, dCopy);
    lD.add(LOSS, lM);
    sd.setLossVariables(LOSS);
    return sd;
  }

  /** Names of the trainable parameters of a graph, in creation order. */
  public static List<String> trainable(SameDiff sd) {
    List<String> names = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) {
        names.add(v.name());
      }
    }
    return names;
  }

  /** Names of all parameters (trainable and frozen) of a graph. */
  public static List<String> parameters(SameDiff sd) {
    List<String> names = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE
          || v.getVariableType() == VariableType.CONSTANT) {
        names.add(v.name());
      }
    }
    return names;
  }

  /**
   * Copies the parts an inference graph has, the encoder and the classifier, from one graph into
   * another (e.g. a training graph into the exported model).
   */
  public static void copyModel(SameDiff from, SameDiff to) {
    copyScope(from, ENCODER, to, ENCODER);
    copyScope(from, CLASSIFIER, to, CLASSIFIER);
  }

  /**
   * Copies every parameter of {@code from} whose name starts with {@code fromScope + "/"} into
   * the parameter of {@code to} with the same remainder under {@code toScope}.
   */
  public static void copyScope(SameDiff from, String fromScope, SameDiff to, String toScope) {
    int copied = 0;
    for (String name : parameters(from)) {
      if (name.startsWith(fromScope + "/")) {
        String target = toScope + name.substring(fromScope.length());
        to.getArrForVarName(target).assign(from.getArrForVarName(name));
        copied++;
      }
    }
    if (copied == 0) {
      throw new IllegalStateException("no parameters under scope '" + fromScope + "'");
    }
  }

  static SDVariable input(SameDiff sd, String name, Architecture a) {
    InputShape s = a.input();
    return sd.placeHolder(name, DataType.FLOAT, -1, s.channels(), s.height(), s.width());
  }

  /**
   * Mean cross-entropy over labelled rows: {@code -sum(y * logSoftmax(z)) / sum(y)}, the
   * log-softmax computed as {@code (z - max) - log(sum(exp(z - max)))} (max per row, outside the
   * gradient: the log-softmax does not depend on it). ND4J's own {@code log_softmax} (1.0.0-M2.1)
   * is the logarithm of the softmax: once a logit trails its row's largest by about 104 the
   * float softmax underflows to 0, its logarithm is -inf, and a zero label times -inf makes the
   * loss NaN, though the true loss is finite. A confident model gets there: SHOT's and MCC's
   * runs on USPS -> MNIST stopped as "diverged" with every other loss finite.
   */
  static SDVariable crossEntropy(SameDiff sd, String name, SDVariable y, SDVariable z) {
    return y.mul(logSoftmax(sd, z)).sum().neg().div(name, y.sum());
  }

  /** Log-softmax over the last dimension of {@code [N, K]} logits that never gives -inf. */
  static SDVariable logSoftmax(SameDiff sd, SDVariable z) {
    SDVariable shifted = z.sub(stop(z.max(true, 1)));
    return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
  }

  static SDVariable stop(SDVariable v) {
    return new org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient(v.getSameDiff(), v)
        .outputVariable();
  }
}
