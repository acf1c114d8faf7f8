package dev.daflow.ml.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Decodes picture files (PNG, JPEG, ... whatever {@link ImageIO} reads) to unsigned HWC bytes.
 *
 * <p>Grey pictures (one colour component, with or without alpha) give 1 channel, read from the
 * raster so that values are not gamma-converted; samples of other bit depths are scaled to 0..255.
 * Everything else (RGB, RGBA, palette) gives 3 channels in sRGB; alpha is dropped.
 */
public final class Pictures {
  private Pictures() {}

  /** One decoded picture: {@code height*width*channels} bytes, row-major HWC. */
  public record Picture(int height, int width, int channels, byte[] pixels) {}

  /**
   * Decodes one picture file.
   *
   * @throws DatasetFormatException if the file is not a picture ImageIO can decode
   * @throws IOException if it cannot be read
   */
  public static Picture read(Path file) throws IOException {
    BufferedImage img;
    try (InputStream in = Files.newInputStream(file)) {
      img = ImageIO.read(in);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DatasetFormatException(file, "corrupt picture: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new DatasetFormatException(file, "not a picture in a format ImageIO can read");
    }
    return toPicture(img);
  }

  /** Converts a decoded image as {@link #read} does. */
  public static Picture toPicture(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    ColorModel cm = img.getColorModel();
    if (cm.getNumColorComponents() == 1
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && !(cm instanceof java.awt.image.IndexColorModel)) {
      Raster r = img.getRaster();
      int max = (1 << cm.getComponentSize(0)) - 1;
      int[] row = new int[w];
      byte[] out = new byte[h * w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) (max == 255 ? row[x] : Math.round(row[x] * 255.0 / max));
        }
      }
      return new Picture(h, w, 1, out);
    }
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] out = new byte[h * w * 3];
    for (int i = 0; i < argb.length; i++) {
      out[3 * i] = (byte) (argb[i] >> 16);
      out[3 * i + 1] = (byte) (argb[i] >> 8);
      out[3 * i + 2] = (byte) argb[i];
    }
    return new Picture(h, w, 3, out);
  }

  /** Collects pictures of one common shape into a growing NHWC byte array. */
  static final class Stack {
    private byte[] buf = new byte[0];
    private int count;
    private int height;
    private int width;
    private int channels;

    /** Appends a picture; the first fixes the shape, the others must match it. */
    void add(Path file, Picture p) throws DatasetFormatException {
      if (count == 0) {
        height = p.height();
        width = p.width();
        channels = p.channels();
      } else if (p.height() != height || p.width() != width || p.channels() != channels) {
        throw new DatasetFormatException(file, "picture is " + shape(p.height(), p.width(),
            p.channels()) + ", the others are " + shape(height, width, channels));
      }
      int size = p.pixels().length;
      if ((long) (count + 1) * size > buf.length) {
        long want = Math.max(16L * size, 2L * buf.length);
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, want));
      }
      System.arraycopy(p.pixels(), 0, buf, count * size, size);
      count++;
    }

    int count() {
      return count;
    }

    /** The dataset of the collected pictures. */
    ImageDataset build(String name, int[] labels, java.util.List<String> classNames) {
      int size = height * width * channels;
      return new ImageDataset(name, Arrays.copyOf(buf, count * size), labels, count, height,
          width, channels, classNames);
    }

    private static String shape(int h, int w, int c) {
      return h + "x" + w + "x" + c;
    }
  }
}
