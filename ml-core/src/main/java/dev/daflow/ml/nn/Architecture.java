package dev.daflow.ml.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A network for domain adaptation, in three parts as in Ganin &amp; Lempitsky (2015), "Unsupervised
 * Domain Adaptation by Backpropagation" (ICML): a feature extractor (encoder), a label classifier
 * and a domain classifier, all reading the encoder's flat feature vector.
 *
 * <p>Implementations are stateless descriptions; {@link Layers} holds the graph, scope and seed.
 */
public interface Architecture {

  /** Registry name, e.g. {@code lenet}. */
  String name();

  /** The input picture shape the network expects. */
  InputShape input();

  /** How pictures are brought to the input's height and width. */
  default dev.daflow.ml.data.Framing framing() {
    return dev.daflow.ml.data.Framing.RESIZE;
  }

  /** Length of the encoder's flat feature vector. */
  int featureSize();

  /** Number of classes the label classifier predicts. */
  int classes();

  /**
   * Feature extractor.
   *
   * @param x input batch, {@code [N, C, H, W]}
   * @param training true for a training graph (dropout on, driven by mask placeholders)
   * @return features {@code [N, featureSize()]}
   */
  SDVariable encoder(Layers layers, SDVariable x, boolean training);

  /** Label classifier: features to class logits {@code [N, classes()]}. */
  SDVariable classifier(Layers layers, SDVariable features, boolean training);

  /** Domain classifier: features to domain logits {@code [N, 2]} (0 = source, 1 = target). */
  SDVariable domainClassifier(Layers layers, SDVariable features);

  /**
   * True if the network has batch normalisation ({@link Layers#batchNorm}): then even source-only
   * training reads the target's pictures (never labels), for AdaBN's statistics.
   */
  default boolean batchNormalised() {
    return false;
  }

  /** Fraction of units dropped where the training graph has dropout (0 = none). */
  default double dropoutRate() {
    return 0;
  }

  /** Names of dropout mask placeholders ({@code scope/name/mask}) with their widths. */
  default java.util.Map<String, Integer> dropoutMasks(String encoderScope, String classifierScope) {
    return java.util.Map.of();
  }
}
