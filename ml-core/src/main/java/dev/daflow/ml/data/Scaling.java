package dev.daflow.ml.data;

/** How unsigned byte pixels map to floats before standardisation. */
public enum Scaling {
  /** {@code v / 255}, in [0, 1]. */
  UNIT,
  /** {@code v / 127.5 - 1}, in [-1, 1]. */
  SYMMETRIC;

  /** Scales one byte value (0..255). */
  public float apply(int v) {
    return this == UNIT ? v / 255f : v / 127.5f - 1f;
  }
}
