package dev.daflow.ml.data;

/**
 * Picture transforms on {@link ImageDataset}: bilinear resize and grey/RGB conversion. Scaling
 * and standardisation to floats live in {@link Preprocessing}.
 */
public final class Transforms {
  private Transforms() {}

  /**
   * Bilinear resize with half-pixel centres (the convention of PIL, OpenCV and
   * {@code torch.nn.functional.interpolate(align_corners=False)}), rounding to the nearest byte.
   */
  public static ImageDataset resize(ImageDataset ds, int height, int width) {
    if (ds.height() == height && ds.width() == width) {
      return ds;
    }
    int c = ds.channels();
    byte[] out = new byte[ds.count() * height * width * c];
    for (int i = 0; i < ds.count(); i++) {
      resizePicture(ds.pixels(), i * ds.pictureSize(), ds.height(), ds.width(), c,
          out, i * height * width * c, height, width);
    }
    return new ImageDataset(ds.name(), out, ds.labels(), ds.count(), height, width, c,
        ds.classNames());
  }

  /** Resizes one HWC picture from {@code src} at {@code srcOff} into {@code dst} at {@code dstOff}. */
  public static void resizePicture(byte[] src, int srcOff, int sh, int sw, int c,
      byte[] dst, int dstOff, int dh, int dw) {
    double sy = (double) sh / dh;
    double sx = (double) sw / dw;
    for (int y = 0; y < dh; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, sh - 1);
      int y1 = Math.min(y0 + 1, sh - 1);
      double wy = fy - y0;
      for (int x = 0; x < dw; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, sw - 1);
        int x1 = Math.min(x0 + 1, sw - 1);
        double wx = fx - x0;
        for (int ch = 0; ch < c; ch++) {
          double v00 = src[srcOff + (y0 * sw + x0) * c + ch] & 0xff;
          double v01 = src[srcOff + (y0 * sw + x1) * c + ch] & 0xff;
          double v10 = src[srcOff + (y1 * sw + x0) * c + ch] & 0xff;
          double v11 = src[srcOff + (y1 * sw + x1) * c + ch] & 0xff;
          double v = (v00 * (1 - wx) + v01 * wx) * (1 - wy) + (v10 * (1 - wx) + v11 * wx) * wy;
          dst[dstOff + (y * dw + x) * c + ch] = (byte) Math.min(255, Math.round(v));
        }
      }
    }
  }

  /** Grey to RGB by replicating the channel; RGB stays as it is. */
  public static ImageDataset toRgb(ImageDataset ds) {
    if (ds.channels() == 3) {
      return ds;
    }
    int n = ds.count() * ds.height() * ds.width();
    byte[] out = new byte[n * 3];
    for (int i = 0; i < n; i++) {
      byte v = ds.pixels()[i];
      out[3 * i] = v;
      out[3 * i + 1] = v;
      out[3 * i + 2] = v;
    }
    return new ImageDataset(ds.name(), out, ds.labels(), ds.count(), ds.height(), ds.width(), 3,
        ds.classNames());
  }

  /** RGB to grey with the ITU-R BT.601 luma weights (as PIL's "L" mode); grey stays. */
  public static ImageDataset toGrey(ImageDataset ds) {
    if (ds.channels() == 1) {
      return ds;
    }
    int n = ds.count() * ds.height() * ds.width();
    byte[] out = new byte[n];
    byte[] p = ds.pixels();
    for (int i = 0; i < n; i++) {
      double v = 0.299 * (p[3 * i] & 0xff) + 0.587 * (p[3 * i + 1] & 0xff)
          + 0.114 * (p[3 * i + 2] & 0xff);
      out[i] = (byte) Math.min(255, Math.round(v));
    }
    return new ImageDataset(ds.name(), out, ds.labels(), ds.count(), ds.height(), ds.width(), 1,
        ds.classNames());
  }

  /** Converts to the given channel count (1 or 3). */
  public static ImageDataset toChannels(ImageDataset ds, int channels) {
    return channels == 1 ? toGrey(ds) : toRgb(ds);
  }
}
