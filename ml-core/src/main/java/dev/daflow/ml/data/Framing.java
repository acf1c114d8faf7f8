package dev.daflow.ml.data;

/**
 * How a picture is brought to the network's height and width.
 *
 * <ul>
 *   <li>{@link #RESIZE}: bilinear resize of the whole picture.
 *   <li>{@link #DIGIT_BOX}: the normalisation MNIST's publishers applied to every MNIST digit
 *       (LeCun et al. 1998, "Gradient-based learning applied to document recognition", Sec. III.A):
 *       crop to the ink's bounding box, resize it to fit a box of 20/28 of the frame keeping the
 *       aspect ratio, and place it so that its centre of mass is the frame's centre. Applied to
 *       every picture of both domains, in training and in serving, it gives digits from any source
 *       (USPS fills its 16x16 frame, MNIST sits in a 20x20 box of 28x28) one geometry. For grey
 *       pictures of light ink on a dark background.
 * </ul>
 */
public enum Framing {
  RESIZE,
  DIGIT_BOX;

  /** Ink threshold as a fraction of the picture's brightest pixel. */
  static final double INK = 0.25;

  /** Brings {@code ds} to {@code height x width} with this framing; channels are unchanged. */
  public ImageDataset apply(ImageDataset ds, int height, int width) {
    if (this == RESIZE) {
      return Transforms.resize(ds, height, width);
    }
    if (ds.channels() != 1) {
      throw new IllegalArgumentException("DIGIT_BOX framing needs grey pictures, " + ds.name()
          + " has " + ds.channels() + " channels");
    }
    byte[] out = new byte[ds.count() * height * width];
    for (int i = 0; i < ds.count(); i++) {
      frameDigit(ds.pixels(), i * ds.pictureSize(), ds.height(), ds.width(), out,
          i * height * width, height, width);
    }
    return new ImageDataset(ds.name(), out, ds.labels(), ds.count(), height, width, 1,
        ds.classNames());
  }

  private static void frameDigit(byte[] src, int off, int sh, int sw, byte[] dst, int dstOff,
      int dh, int dw) {
    // 1. The ink's bounding box (a blank picture is only resized).
    int max = 0;
    for (int i = 0; i < sh * sw; i++) {
      max = Math.max(max, src[off + i] & 0xff);
    }
    int threshold = (int) Math.ceil(INK * max);
    int top = sh;
    int bottom = -1;
    int left = sw;
    int right = -1;
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        if (max > 0 && (src[off + y * sw + x] & 0xff) >= threshold) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    if (bottom < 0) {
      Transforms.resizePicture(src, off, sh, sw, 1, dst, dstOff, dh, dw);
      return;
    }
    int bh = bottom - top + 1;
    int bw = right - left + 1;
    byte[] crop = new byte[bh * bw];
    for (int y = 0; y < bh; y++) {
      System.arraycopy(src, off + (top + y) * sw + left, crop, y * bw, bw);
    }
    // 2. Fit the box into 20/28 of the frame, keeping the aspect ratio.
    double scale = Math.min(dh * 20.0 / 28 / bh, dw * 20.0 / 28 / bw);
    int fh = Math.max(1, (int) Math.round(bh * scale));
    int fw = Math.max(1, (int) Math.round(bw * scale));
    byte[] fitted = new byte[fh * fw];
    Transforms.resizePicture(crop, 0, bh, bw, 1, fitted, 0, fh, fw);
    // 3. Centre of mass to the frame's centre, staying inside the frame.
    double mass = 0;
    double my = 0;
    double mx = 0;
    for (int y = 0; y < fh; y++) {
      for (int x = 0; x < fw; x++) {
        int v = fitted[y * fw + x] & 0xff;
        mass += v;
        my += v * (y + 0.5);
        mx += v * (x + 0.5);
      }
    }
    int oy = clamp((int) Math.round(dh / 2.0 - (mass > 0 ? my / mass : fh / 2.0)), 0, dh - fh);
    int ox = clamp((int) Math.round(dw / 2.0 - (mass > 0 ? mx / mass : fw / 2.0)), 0, dw - fw);
    java.util.Arrays.fill(dst, dstOff, dstOff + dh * dw, (byte) 0);
    for (int y = 0; y < fh; y++) {
      System.arraycopy(fitted, y * fw, dst, dstOff + (oy + y) * dw + ox, fw);
    }
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
