package dev.daflow.ml.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The one picture decoder: encoded pictures (PNG of any bit depth, JPEG, and whatever else
 * {@link ImageIO} reads: GIF, BMP, TIFF) to unsigned HWC bytes. Dataset folders ({@link #read}),
 * the CLI ({@link dev.daflow.ml.model.Model#classify(byte[])}) and inference-service's picture
 * endpoint ({@link #decode(byte[], Consumer)}) all decode here.
 *
 * <p>The grey rule: a picture whose colours are all grey gives 1 channel, anything else 3 (sRGB);
 * alpha is dropped. Grey means one colour component (grey PNG of 8 or 16 bits, grey JPEG, with or
 * without alpha), read from the raster so that values are not gamma-converted, 16-bit samples
 * scaled to 0..255; or a palette of grey entries only (how ImageIO reads grey PNG of 1, 2 or 4
 * bits), each pixel its entry's value.
 */
public final class Pictures {
  private Pictures() {}

  /** Formats named in messages: the ones ImageIO reads. */
  private static final String FORMATS = "PNG, JPEG, GIF, BMP, TIFF";

  /** One decoded picture: {@code height*width*channels} bytes, row-major HWC. */
  public record Picture(int height, int width, int channels, byte[] pixels) {
    /** This picture as a dataset of one picture, named {@code name}, of one class {@code ?}. */
    public ImageDataset asDataset(String name) {
      return new ImageDataset(name, pixels, new int[] {0}, 1, height, width, channels,
          List.of("?"));
    }
  }

  /**
   * What an encoded picture's header says, known before its pixels are decoded.
   *
   * @param format the reader's format name in lower case: {@code png}, {@code jpeg}, {@code bmp}...
   */
  public record Header(String format, int width, int height) {
    /** {@code width * height}. */
    public long pixels() {
      return (long) width * height;
    }
  }

  /**
   * Decodes one encoded picture, of any format ImageIO reads and any size.
   *
   * @throws PictureFormatException if it is not a picture, or a truncated or corrupt one
   */
  public static Picture decode(byte[] encoded) throws PictureFormatException {
    return decode(encoded, header -> {});
  }

  /**
   * Decodes one encoded picture after {@code admit} has seen its header: {@code admit} refuses
   * the picture by throwing (its exception propagates as it is), before the pixels are decoded,
   * so a caller can refuse a format or a small file that would decode into a picture filling the
   * heap.
   *
   * @throws PictureFormatException if it is not a picture, or a truncated or corrupt one
   */
  public static Picture decode(byte[] encoded, Consumer<Header> admit)
      throws PictureFormatException {
    // One reader reads the header, then (if admitted) the pixels; in memory, no cache file.
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new PictureFormatException(encoded.length,
            "no image reader (" + FORMATS + ") recognises them", null);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        Header header;
        try {
          header = new Header(format, reader.getWidth(0), reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
          throw unreadable(format, encoded, e);
        }
        admit.accept(header);
        BufferedImage img;
        try {
          img = reader.read(0);
        } catch (IOException | RuntimeException e) {
          throw unreadable(format, encoded, e);
        }
        return toPicture(img);
      } finally {
        reader.dispose();
      }
    } catch (PictureFormatException e) {
      throw e;
    } catch (IOException e) {
      // Only closing an in-memory stream gets here.
      throw new PictureFormatException(encoded.length, "cannot read them: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes one picture file.
   *
   * @throws DatasetFormatException if the file is not a picture ImageIO can decode (the message
   *     starts with the file)
   * @throws IOException if it cannot be read
   */
  public static Picture read(Path file) throws IOException {
    byte[] encoded = Files.readAllBytes(file);
    try {
      return decode(encoded);
    } catch (PictureFormatException e) {
      throw new DatasetFormatException(file, e.getMessage(), e);
    }
  }

  /** Converts a decoded image by the grey rule of this class. */
  public static Picture toPicture(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    ColorModel cm = img.getColorModel();
    Raster r = img.getRaster();
    int[] row = new int[w];
    // Grey palette (1, 2 and 4-bit grey PNG): each pixel is its entry's value.
    if (cm instanceof IndexColorModel palette && isGrey(palette)) {
      byte[] out = new byte[h * w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) palette.getRed(row[x]);
        }
      }
      return new Picture(h, w, 1, out);
    }
    // One colour component: raw samples, scaled to 0..255 from their bit depth.
    if (!(cm instanceof IndexColorModel) && cm.getNumColorComponents() == 1) {
      int max = (1 << cm.getComponentSize(0)) - 1;
      byte[] out = new byte[h * w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) (max == 255 ? row[x] : Math.round(row[x] * 255.0 / max));
        }
      }
      return new Picture(h, w, 1, out);
    }
    // Anything else: sRGB, alpha dropped.
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] out = new byte[h * w * 3];
    for (int i = 0; i < argb.length; i++) {
      out[3 * i] = (byte) (argb[i] >> 16);
      out[3 * i + 1] = (byte) (argb[i] >> 8);
      out[3 * i + 2] = (byte) argb[i];
    }
    return new Picture(h, w, 3, out);
  }

  /** Whether every entry of a palette is grey. */
  private static boolean isGrey(IndexColorModel palette) {
    for (int i = 0; i < palette.getMapSize(); i++) {
      int red = palette.getRed(i);
      if (palette.getGreen(i) != red || palette.getBlue(i) != red) {
        return false;
      }
    }
    return true;
  }

  private static PictureFormatException unreadable(String format, byte[] encoded,
      Exception cause) {
    return new PictureFormatException(encoded.length, "the " + format
        + " reader cannot decode them: " + cause.getMessage(), cause);
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
    ImageDataset build(String name, int[] labels, List<String> classNames) {
      int size = height * width * channels;
      return new ImageDataset(name, Arrays.copyOf(buf, count * size), labels, count, height,
          width, channels, classNames);
    }

    private static String shape(int h, int w, int c) {
      return h + "x" + w + "x" + c;
    }
  }
}
