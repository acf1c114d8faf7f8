package dev.daflow.ml.train;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The training methods DAFlow implements. */
public enum Method {
  /** Supervised training on the source domain only: the baseline every adaptation must beat. */
  SOURCE_ONLY("source-only"),
  /** Domain-adversarial training with gradient reversal (Ganin &amp; Lempitsky, ICML 2015). */
  DANN("dann"),
  /** Adversarial discriminative domain adaptation (Tzeng et al., CVPR 2017). */
  ADDA("adda");

  private final String id;

  Method(String id) {
    this.id = id;
  }

  /** The name used in requests, the CLI and model cards. */
  public String id() {
    return id;
  }

  /** Parses {@code source-only}, {@code dann} or {@code adda} (case-insensitive). */
  public static Method parse(String s) {
    for (Method m : values()) {
      if (m.id.equalsIgnoreCase(s) || m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown method '" + s + "'; known: "
        + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
  }
}
