package dev.daflow.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small archives, pictures and IDX files for the tests. */
public final class TestArchives {
  private TestArchives() {}

  /** Entries in order, name to bytes. */
  public static Map<String, byte[]> entries() {
    return new LinkedHashMap<>();
  }

  public static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] tarGz(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A PNG of {@code side x side} pixels, grey or RGB, whose pixel (r, c) channel k is
   * {@code (seed + r * side + c + 50 * k) % 256}.
   */
  public static byte[] png(int side, boolean rgb, int seed) {
    BufferedImage img = new BufferedImage(side, side,
        rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < side; r++) {
      for (int c = 0; c < side; c++) {
        int v = (seed + r * side + c) % 256;
        if (rgb) {
          img.setRGB(c, r, (v << 16) | (((v + 50) % 256) << 8) | ((v + 100) % 256));
        } else {
          img.getRaster().setSample(c, r, 0, v);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An IDX images file (magic 2051) of {@code count} pictures of 28x28, raw. */
  public static byte[] idxImages(int count, int seed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(2051);
      out.writeInt(count);
      out.writeInt(28);
      out.writeInt(28);
      for (int i = 0; i < count * 28 * 28; i++) {
        out.write((seed + i) % 256);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** An IDX labels file (magic 2049) of {@code count} digits 0..9 in turn, raw. */
  public static byte[] idxLabels(int count) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(2049);
      out.writeInt(count);
      for (int i = 0; i < count; i++) {
        out.write(i % 10);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An image-folder archive's entries: {@code perClass} grey 8x8 PNGs per class in {@code
   * train/<class>/} and {@code test/<class>/}, under {@code prefix}.
   */
  public static Map<String, byte[]> imageFolder(String prefix, int perClass, String... classes) {
    Map<String, byte[]> e = entries();
    for (String split : new String[] {"train", "test"}) {
      for (int c = 0; c < classes.length; c++) {
        for (int i = 0; i < perClass; i++) {
          e.put(prefix + split + "/" + classes[c] + "/pic-" + i + ".png",
              png(8, false, 10 * c + i + (split.equals("test") ? 100 : 0)));
        }
      }
    }
    return e;
  }
}
