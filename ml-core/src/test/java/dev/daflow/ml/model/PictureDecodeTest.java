package dev.daflow.ml.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.ml.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PictureDecodeTest {
  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, "png", out)).isTrue();
    return out.toByteArray();
  }

  @Test
  void sixteenBitGreyIsScaledToEightBits() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 65535);
    img.getRaster().setSample(1, 0, 0, 0x8080);
    ImageDataset d = Model.decode(png(img));
    assertThat(d.channels()).isEqualTo(1);
    assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(255);
    assertThat(d.pixel(0, 0, 1, 0)).isEqualTo(128);
  }

  @Test
  void oneBitPicturesBecomeBlackAndWhite() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    img.getRaster().setSample(0, 0, 0, 1);
    ImageDataset d = Model.decode(png(img));
    assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(255);
    assertThat(d.pixel(0, 0, 1, 0)).isZero();
  }

  @Test
  void eightBitGreyAndRgbKeepTheirValues() throws IOException {
    BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 77);
    assertThat(Model.decode(png(grey)).pixel(0, 0, 0, 0)).isEqualTo(77);
    BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, 0x102030);
    ImageDataset d = Model.decode(png(rgb));
    assertThat(d.channels()).isEqualTo(3);
    assertThat(new int[] {d.pixel(0, 0, 0, 0), d.pixel(0, 0, 0, 1), d.pixel(0, 0, 0, 2)})
        .containsExactly(0x10, 0x20, 0x30);
  }
}
