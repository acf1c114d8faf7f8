package dev.daflow.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as lower-case hex, the form stored in metadata, events and manifests. */
public final class Sha256 {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  /** A fresh SHA-256 digest (every JVM has one). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** The hex SHA-256 of a file's content. */
  public static String of(Path file) {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return hex(digest.digest());
  }

  /** Lower-case hex of a digest's bytes. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Whether {@code s} is 64 lower-case hex digits. */
  public static boolean isHex(String s) {
    return s != null && HEX.matcher(s).matches();
  }
}
