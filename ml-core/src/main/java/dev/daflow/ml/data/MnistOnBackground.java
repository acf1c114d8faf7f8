package dev.daflow.ml.data;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * The target domain of the ADDA MNIST-64 demo: MNIST digits drawn onto random crops of a colour
 * background picture (lena.jpg), deterministically for a seed.
 *
 * <p>For picture {@code i}: the digit is zoomed to 64x64 ({@link Transforms#resizePicture},
 * bilinear), scaled to [0,1] and binarised ({@code > 0.5} is 1). A generator
 * {@code new SplittableRandom(pictureSeed(seed, i))} then draws, in this order, the crop's top
 * row and left column (uniform, {@code nextInt(H-64+1)}, {@code nextInt(W-64+1)}) and one shift
 * {@code u_c = nextDouble()} per channel. Each background value {@code b} in [0,1] of the crop
 * becomes {@code (b + u_c)/2}, inverted ({@code 1 - v}) where the digit is 1, and is stored as
 * {@code round(v*255)}.
 *
 * <p>Because the randomness of a picture depends only on the seed and the picture's index,
 * generating a slice gives the same pictures as generating everything and slicing: {@code
 * generate(mnist.slice(a, b), seed, n, a)} equals {@code generate(mnist, seed, n).slice(a, b)}.
 */
public final class MnistOnBackground {
  /** Side of the generated pictures. */
  public static final int SIDE = 64;

  private final byte[] background;
  private final int bgHeight;
  private final int bgWidth;

  /** Random choices for one picture: crop top-left corner and per-channel shifts in [0,1). */
  public record Draw(int top, int left, double[] shift) {}

  /**
   * @param background the background picture, at least 64x64 (grey is replicated to RGB)
   */
  public MnistOnBackground(BufferedImage background) {
    Pictures.Picture p = Pictures.toPicture(background);
    if (p.height() < SIDE || p.width() < SIDE) {
      throw new IllegalArgumentException("background must be at least " + SIDE + "x" + SIDE
          + ", is " + p.height() + "x" + p.width());
    }
    ImageDataset bg = Transforms.toRgb(p.asDataset("background"));
    this.background = bg.pixels();
    this.bgHeight = p.height();
    this.bgWidth = p.width();
  }

  /** Same as {@code generate(mnist, seed, name, 0)}. */
  public ImageDataset generate(ImageDataset mnist, long seed, String name) {
    return generate(mnist, seed, name, 0);
  }

  /**
   * Draws every digit of {@code mnist} onto the background.
   *
   * @param mnist digits (grey; RGB is converted to grey), any size
   * @param seed the seed of the whole dataset
   * @param name the name of the result
   * @param firstIndex the index of {@code mnist}'s first picture in the full dataset, so that
   *     slices are generated exactly as within the whole
   * @return 64x64 RGB pictures with {@code mnist}'s labels and class names
   */
  public ImageDataset generate(ImageDataset mnist, long seed, String name, int firstIndex) {
    ImageDataset grey = Transforms.toGrey(mnist);
    int n = grey.count();
    int area = SIDE * SIDE;
    byte[] digit = new byte[area];
    byte[] out = new byte[Math.multiplyExact(n, area * 3)];
    for (int i = 0; i < n; i++) {
      Transforms.resizePicture(grey.pixels(), i * grey.pictureSize(), grey.height(),
          grey.width(), 1, digit, 0, SIDE, SIDE);
      Draw d = draw(seed, firstIndex + i);
      int o = i * area * 3;
      for (int y = 0; y < SIDE; y++) {
        int b = ((d.top() + y) * bgWidth + d.left()) * 3;
        for (int x = 0; x < SIDE; x++) {
          boolean on = (digit[y * SIDE + x] & 0xff) / 255.0 > 0.5;
          for (int c = 0; c < 3; c++) {
            double v = ((background[b + 3 * x + c] & 0xff) / 255.0 + d.shift()[c]) / 2;
            if (on) {
              v = 1 - v;
            }
            out[o++] = (byte) Math.round(v * 255);
          }
        }
      }
    }
    return new ImageDataset(name, out, grey.labels(), n, SIDE, SIDE, 3, grey.classNames());
  }

  /** The random choices for picture {@code index} under {@code seed}, as {@link #generate} uses. */
  public Draw draw(long seed, long index) {
    SplittableRandom rng = new SplittableRandom(pictureSeed(seed, index));
    int top = rng.nextInt(bgHeight - SIDE + 1);
    int left = rng.nextInt(bgWidth - SIDE + 1);
    double[] shift = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
    return new Draw(top, left, shift);
  }

  /** The seed of one picture: a 64-bit finaliser (MurmurHash3's fmix64) of seed and index. */
  public static long pictureSeed(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /**
   * The source domain of the demo: the digits zoomed to 64x64 (bilinear, not binarised), grey
   * replicated to RGB.
   */
  public static ImageDataset zoomed(ImageDataset mnist, String name) {
    return Transforms.toRgb(Transforms.resize(Transforms.toGrey(mnist), SIDE, SIDE))
        .withName(name);
  }
}
