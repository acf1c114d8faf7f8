package dev.daflow.cli;

import dev.daflow.ml.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Dataset pictures as image files, as a user would send them. */
final class Pictures {
  private Pictures() {}

  /** Picture {@code i} of a grey or RGB dataset as PNG bytes. */
  static byte[] png(ImageDataset d, int i) throws IOException {
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
