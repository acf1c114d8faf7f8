package dev.daflow.ml.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Dataset pictures as image files, as a user would send them to the picture endpoint: the
 * inverse of {@link ImageFolderReader}'s decoding, so a picture written here and read back gives
 * the same bytes.
 */
public final class PictureFiles {
  private PictureFiles() {}

  /**
   * Picture {@code i} of a dataset (grey or RGB) as PNG bytes.
   *
   * @throws IllegalArgumentException for an index out of range
   */
  public static byte[] png(ImageDataset d, int i) throws IOException {
    if (i < 0 || i >= d.count()) {
      throw new IllegalArgumentException("picture " + i + " of " + d.name() + " does not exist ("
          + d.count() + " pictures)");
    }
    BufferedImage img = new BufferedImage(d.width(), d.height(),
        d.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        if (d.channels() == 1) {
          img.getRaster().setSample(x, y, 0, d.pixel(i, y, x, 0));
        } else {
          img.setRGB(x, y, d.pixel(i, y, x, 0) << 16 | d.pixel(i, y, x, 1) << 8
              | d.pixel(i, y, x, 2));
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
