package dev.daflow.ml.nn;

/**
 * Shape of one network input picture, channels first.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height rows
 * @param width columns
 */
public record InputShape(int channels, int height, int width) {
  public InputShape {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
    }
  }

  /** Values per picture. */
  public int size() {
    return channels * height * width;
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
