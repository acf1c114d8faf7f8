package dev.daflow.contract;

/**
 * Photometric augmentation of the labelled source pictures (ml-core applies it): {@link #NONE}, or
 * {@link #COLOUR}: per picture, inversion with probability 1/2, then a random contrast and offset
 * per channel (French, Mackiewicz &amp; Fisher 2018, ICLR, Sec. 3.3).
 */
public enum Augmentation implements Named {
  NONE,
  COLOUR;

  /** {@code none} or {@code colour}. */
  @Override
  public String id() {
    return Named.idOf(this);
  }

  /** The wire names. */
  public static java.util.List<String> ids() {
    return Named.ids(Augmentation.class);
  }

  /**
   * Reads {@code none} / {@code colour}, any case.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static Augmentation parse(String name) {
    return Named.parse(Augmentation.class, "augmentation", name);
  }
}
