package dev.daflow.ml.model;

import dev.daflow.ml.data.ImageDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. */
public final class Checksums {
  private Checksums() {}

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** SHA-256 over a dataset's shape, pixels and labels: equal for equal decoded content. */
  public static String of(ImageDataset ds) {
    MessageDigest md = digest();
    ByteBuffer header = ByteBuffer.allocate(16)
        .putInt(ds.count()).putInt(ds.height()).putInt(ds.width()).putInt(ds.channels());
    md.update(header.array());
    md.update(ds.pixels());
    ByteBuffer labels = ByteBuffer.allocate(4 * ds.count());
    for (int l : ds.labels()) {
      labels.putInt(l);
    }
    md.update(labels.array());
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
