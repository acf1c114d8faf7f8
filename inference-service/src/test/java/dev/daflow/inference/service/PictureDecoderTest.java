package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Content types, pictures and pictures too large for their file size. */
class PictureDecoderTest {
  private final PictureDecoder decoder = new PictureDecoder(100 * 100);

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  @Test
  void greyPngAndRgbJpeg() throws IOException {
    BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(3, 2, 0, 200);
    ImageDataset g = decoder.decode("image/png", encode(grey, "png"));
    assertThat(g.channels()).isEqualTo(1);
    assertThat(g.pixel(0, 2, 3, 0)).isEqualTo(200);

    BufferedImage rgb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
    ImageDataset c = decoder.decode("image/jpeg", encode(rgb, "jpg"));
    assertThat(c.channels()).isEqualTo(3);
    assertThat(c.height()).isEqualTo(16);
    assertThat(c.width()).isEqualTo(32);
    assertThat(decoder.decode("IMAGE/JPG", encode(rgb, "jpg")).count()).isEqualTo(1);
  }

  @Test
  void refusals() throws IOException {
    byte[] png = encode(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png");
    assertThatThrownBy(() -> decoder.decode("text/plain", png))
        .isInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("Content-Type 'text/plain' is not supported");
    assertThatThrownBy(() -> decoder.decode(null, png))
        .hasMessageContaining("is not supported");
    assertThatThrownBy(() -> decoder.decode("image/png", "hello".getBytes()))
        .hasMessageContaining("not a PNG or JPEG picture");
    assertThatThrownBy(() -> decoder.decode("image/png", new byte[0]))
        .hasMessageContaining("empty");
    byte[] truncated = Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> decoder.decode("image/png", truncated))
        .isInstanceOf(InferenceException.InvalidInput.class);
    byte[] bmp = encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "bmp");
    assertThatThrownBy(() -> decoder.decode("image/png", bmp))
        .hasMessageContaining("is a bmp picture");
    // 2000x2000 black compresses to a few kB but is 4 M pixels.
    byte[] huge = encode(new BufferedImage(2000, 2000, BufferedImage.TYPE_BYTE_GRAY), "png");
    assertThat(huge.length).isLessThan(100_000);
    assertThatThrownBy(() -> decoder.decode("image/png", huge))
        .hasMessageContaining("2000x2000, larger than 10000 pixels");
  }
}
