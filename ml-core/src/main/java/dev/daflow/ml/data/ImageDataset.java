package dev.daflow.ml.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one in-memory form of every dataset: pictures as unsigned bytes plus integer labels.
 *
 * <p>Pixels are stored row-major as {@code [count, height, width, channels]} (NHWC), the layout
 * of PNG/JPEG decoders and of the canonical form the platform stores. A label is an index into
 * {@link #classNames()}. Instances are immutable by convention: no method writes into the arrays.
 *
 * @param name a short human name, e.g. {@code mnist/train}
 * @param pixels {@code count*height*width*channels} unsigned bytes
 * @param labels {@code count} class indices
 * @param count number of pictures
 * @param height rows per picture
 * @param width columns per picture
 * @param channels 1 (grey) or 3 (RGB)
 * @param classNames label names, e.g. {@code "0".."9"}
 */
public record ImageDataset(
    String name,
    byte[] pixels,
    int[] labels,
    int count,
    int height,
    int width,
    int channels,
    List<String> classNames) {

  /** Names "0".."9", the classes of every digit dataset. */
  public static final List<String> DIGITS =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  public ImageDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    classNames = List.copyOf(classNames);
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(name + ": channels must be 1 or 3, got " + channels);
    }
    if (count < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          name + ": bad shape " + count + "x" + height + "x" + width + "x" + channels);
    }
    if ((long) count * height * width * channels != pixels.length) {
      throw new IllegalArgumentException(
          name + ": " + pixels.length + " pixel bytes do not match shape "
              + count + "x" + height + "x" + width + "x" + channels);
    }
    if (labels.length != count) {
      throw new IllegalArgumentException(
          name + ": " + labels.length + " labels for " + count + " pictures");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException(
            name + ": label " + labels[i] + " of picture " + i + " is outside 0.."
                + (classNames.size() - 1));
      }
    }
  }

  /** Bytes per picture. */
  public int pictureSize() {
    return height * width * channels;
  }

  /** Unsigned value of one pixel channel. */
  public int pixel(int index, int row, int col, int channel) {
    return pixels[((index * height + row) * width + col) * channels + channel] & 0xff;
  }

  /** A copy of one picture's bytes (HWC). */
  public byte[] picture(int index) {
    int size = pictureSize();
    return Arrays.copyOfRange(pixels, index * size, (index + 1) * size);
  }

  /** Pictures {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public ImageDataset slice(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IndexOutOfBoundsException(name + ": slice " + from + ".." + to + " of " + count);
    }
    int size = pictureSize();
    return new ImageDataset(
        name,
        Arrays.copyOfRange(pixels, from * size, to * size),
        Arrays.copyOfRange(labels, from, to),
        to - from,
        height,
        width,
        channels,
        classNames);
  }

  /** The same pictures under another name. */
  public ImageDataset withName(String newName) {
    return new ImageDataset(newName, pixels, labels, count, height, width, channels, classNames);
  }

  /** Number of pictures per class. */
  public int[] classCounts() {
    int[] counts = new int[classNames.size()];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  @Override
  public String toString() {
    return name + " (" + count + " x " + height + "x" + width + "x" + channels + ")";
  }
}
