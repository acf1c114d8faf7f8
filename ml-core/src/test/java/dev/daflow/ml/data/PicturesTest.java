package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The one picture decoder: every bit depth of grey PNG, RGB PNG and JPEG, the grey rule, the
 * header a caller sees before decoding, and what it says about bytes that are not a picture.
 * (Dataset folders decode here too: {@link ImageFolderReaderTest}.)
 */
class PicturesTest {
  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  private static byte[] png(BufferedImage img) throws IOException {
    return encode(img, "png");
  }

  /** Grey palette of {@code bits} bits, as ImageIO reads a grey PNG of that depth. */
  private static BufferedImage packedGrey(int bits, int width) {
    int n = 1 << bits;
    byte[] levels = new byte[n];
    for (int i = 0; i < n; i++) {
      levels[i] = (byte) (i * 255 / (n - 1));
    }
    return new BufferedImage(width, 1, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(bits, n, levels, levels, levels));
  }

  @Test
  void sixteenBitGreyIsScaledToEightBits() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 65535);
    img.getRaster().setSample(1, 0, 0, 0x8080);
    ImageDataset d = Pictures.decode(png(img)).asDataset("p");
    assertThat(d.channels()).isEqualTo(1);
    assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(255);
    assertThat(d.pixel(0, 0, 1, 0)).isEqualTo(128);
  }

  @Test
  void oneBitPicturesBecomeBlackAndWhiteGrey() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    img.getRaster().setSample(0, 0, 0, 1);
    ImageDataset d = Pictures.decode(png(img)).asDataset("p");
    assertThat(d.channels()).isEqualTo(1);
    assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(255);
    assertThat(d.pixel(0, 0, 1, 0)).isZero();
  }

  @Test
  void twoAndFourBitGreyStayGreyWithTheirLevels() throws IOException {
    for (int bits : new int[] {2, 4}) {
      int n = 1 << bits;
      BufferedImage img = packedGrey(bits, n);
      for (int x = 0; x < n; x++) {
        img.getRaster().setSample(x, 0, 0, x);
      }
      Pictures.Picture p = Pictures.decode(png(img));
      assertThat(p.channels()).as("%d bits", bits).isEqualTo(1);
      List<Integer> values = new ArrayList<>();
      for (byte b : p.pixels()) {
        values.add(b & 0xff);
      }
      assertThat(values).as("%d bits", bits).first().isEqualTo(0);
      assertThat(values).as("%d bits", bits).last().isEqualTo(255);
      assertThat(values).as("%d bits", bits).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void eightBitGreyAndRgbKeepTheirValues() throws IOException {
    BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 77);
    assertThat(Pictures.decode(png(grey)).asDataset("p").pixel(0, 0, 0, 0)).isEqualTo(77);
    BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, 0x102030);
    ImageDataset d = Pictures.decode(png(rgb)).asDataset("p");
    assertThat(d.channels()).isEqualTo(3);
    assertThat(new int[] {d.pixel(0, 0, 0, 0), d.pixel(0, 0, 0, 1), d.pixel(0, 0, 0, 2)})
        .containsExactly(0x10, 0x20, 0x30);
  }

  @Test
  void colourPalettesAndAlphaGiveRgb() throws IOException {
    byte[] r = {0, (byte) 200};
    byte[] g = {0, 10};
    byte[] b = {0, 20};
    BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(1, 2, r, g, b));
    palette.getRaster().setSample(1, 0, 0, 1);
    Pictures.Picture p = Pictures.decode(png(palette));
    assertThat(p.channels()).isEqualTo(3);
    assertThat(Arrays.copyOfRange(p.pixels(), 3, 6)).containsExactly((byte) 200, 10, 20);

    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80 << 24 | 0x405060);
    assertThat(Pictures.decode(png(argb)).pixels()).containsExactly(0x40, 0x50, 0x60);
  }

  @Test
  void jpegGreyAndColour() throws IOException {
    BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(3, 2, 0, 200);
    Pictures.Picture g = Pictures.decode(encode(grey, "jpg"));
    assertThat(g.channels()).isEqualTo(1);
    assertThat(g.height()).isEqualTo(28);

    BufferedImage rgb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
    Pictures.Picture c = Pictures.decode(encode(rgb, "jpg"));
    assertThat(c.channels()).isEqualTo(3);
    assertThat(c.height()).isEqualTo(16);
    assertThat(c.width()).isEqualTo(32);
  }

  @Test
  void theHeaderIsSeenBeforeDecodingAndMayRefuse() throws IOException {
    byte[] bmp = encode(new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB), "bmp");
    List<Pictures.Header> seen = new ArrayList<>();
    assertThat(Pictures.decode(bmp, seen::add).width()).isEqualTo(8);
    assertThat(seen).containsExactly(new Pictures.Header("bmp", 8, 4));
    assertThat(seen.get(0).pixels()).isEqualTo(32);

    byte[] huge = png(new BufferedImage(2000, 2000, BufferedImage.TYPE_BYTE_GRAY));
    assertThatThrownBy(() -> Pictures.decode(huge, h -> {
      throw new IllegalArgumentException("too large: " + h.pixels());
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("too large: 4000000");
  }

  @Test
  void bytesThatAreNotAPictureAreNamed() throws IOException {
    assertThatThrownBy(() -> Pictures.decode("hello".getBytes()))
        .isInstanceOf(PictureFormatException.class)
        .hasMessage("not a picture (5 bytes): no image reader (PNG, JPEG, GIF, BMP, TIFF) "
            + "recognises them");
    assertThatThrownBy(() -> Pictures.decode(new byte[0]))
        .isInstanceOf(PictureFormatException.class).hasMessageStartingWith("not a picture (0 bytes)");
    assertThatThrownBy(() -> Pictures.decode("GIF89a? no".getBytes()))
        .isInstanceOf(PictureFormatException.class)
        .hasMessageStartingWith("not a picture (10 bytes): the gif reader cannot decode them: ");
    byte[] good = png(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY));
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    assertThatThrownBy(() -> Pictures.decode(truncated))
        .isInstanceOf(PictureFormatException.class)
        .hasMessageStartingWith("not a picture (" + truncated.length + " bytes): the png reader "
            + "cannot decode them: ");
  }
}
