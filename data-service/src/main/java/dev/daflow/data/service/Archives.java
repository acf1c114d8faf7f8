package dev.daflow.data.service;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an archive (zip, tar or tar.gz, recognised by its first bytes, not its name) into a
 * folder, safely: entries that would land outside the folder ({@code ../}, absolute paths) and
 * links are refused or skipped, and the unpacked size and number of entries are bounded. A
 * corrupt or truncated archive is a {@link DatasetRejectedException} naming the archive, the
 * entry where known, and the problem; the first bytes of what is not an archive are named only
 * where the caller allows it (uploads, not downloads).
 */
public final class Archives {
  /** Most entries one archive may hold (MNIST-M has about 68,000). */
  public static final int MAX_ENTRIES = 1_000_000;

  private static final int PEEK = 512;

  private Archives() {}

  /** What an archive turned out to be. */
  public enum Type { ZIP, TAR, TAR_GZ }

  /**
   * Unpacks {@code archive} into {@code target} (created if needed).
   *
   * @param name how to call the archive in messages, e.g. {@code upload} or its URL's file name
   * @param maxBytes most bytes all unpacked files may hold together
   * @param showHead whether a message may show the first bytes of what is not an archive: yes
   *     for an upload (the user sent those bytes), no for a download (they came from the URL's
   *     server, which may be one the user cannot otherwise read)
   * @return the archive's type
   * @throws DatasetRejectedException if it is not an archive, is corrupt or truncated, or too
   *     large unpacked
   * @throws IOException if the target cannot be written
   */
  public static Type extract(Path archive, String name, Path target, long maxBytes,
      boolean showHead) throws DatasetRejectedException, IOException {
    Files.createDirectories(target);
    byte[] head = peek(archive, Files.newInputStream(archive));
    if (isZip(head)) {
      unzip(archive, name, target, maxBytes);
      return Type.ZIP;
    }
    if (isTar(head)) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
        untar(in, name, "tar", target, maxBytes);
      }
      return Type.TAR;
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      byte[] inner;
      try (InputStream file = Files.newInputStream(archive)) {
        inner = peek(archive, new GZIPInputStream(file));
      } catch (IOException e) {
        throw DatasetRejectedException.unreadable(name + ": corrupt or truncated gzip data ("
            + describe(e) + ")");
      }
      if (!isTar(inner)) {
        throw DatasetRejectedException.unreadable(name + ": a gzip file, but what it compresses"
            + " is not a tar archive" + (showHead ? " (it starts with " + hex(inner) + ")" : ""));
      }
      try (InputStream in = new BufferedInputStream(
          new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
        untar(in, name, "tar.gz", target, maxBytes);
      }
      return Type.TAR_GZ;
    }
    throw DatasetRejectedException.unreadable(name + ": not a zip, tar or tar.gz archive ("
        + (head.length == 0 ? "it is empty" : showHead ? "it starts with " + hex(head)
            : Files.size(archive) + " bytes") + ")");
  }

  private static void unzip(Path archive, String name, Path target, long maxBytes)
      throws DatasetRejectedException, IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(archive.toFile());
    } catch (ZipException e) {
      throw DatasetRejectedException.unreadable(name + ": corrupt or truncated zip archive ("
          + describe(e) + ")");
    }
    try (zip) {
      Budget budget = new Budget(name, maxBytes);
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        budget.entry();
        Path out = destination(target, name, entry.getName());
        if (out == null) {
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          copy(in, out, budget);
        } catch (CorruptInput | ZipException | EOFException e) {
          Exception cause = e instanceof CorruptInput c ? (Exception) c.getCause() : e;
          throw DatasetRejectedException.unreadable(name + ": corrupt zip entry '"
              + entry.getName() + "' (" + describe(cause) + ")");
        }
      }
    } catch (IllegalArgumentException e) {
      // ZipFile throws it for entry names that are not valid in the archive's charset.
      throw DatasetRejectedException.unreadable(name + ": corrupt zip archive (" + describe(e)
          + ")");
    }
  }

  private static void untar(InputStream raw, String name, String type, Path target,
      long maxBytes) throws DatasetRejectedException, IOException {
    Budget budget = new Budget(name, maxBytes);
    String current = null;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = next(tar)) != null) {
        current = entry.getName();
        budget.entry();
        Path out = destination(target, name, entry.getName());
        if (out == null) {
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          copy(tar, out, budget);
        }
        // Links, devices and the like are skipped: a dataset needs none, and links could
        // point outside the target.
      }
    } catch (CorruptInput e) {
      throw DatasetRejectedException.unreadable(name + ": corrupt or truncated " + type
          + " archive" + (current == null ? "" : " at entry '" + current + "'") + " ("
          + describe((Exception) e.getCause()) + ")");
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws CorruptInput {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptInput(e);
    }
  }

  /** Reading the archive failed (as opposed to writing what it holds). */
  private static final class CorruptInput extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptInput(Exception cause) {
      super(cause);
    }
  }

  /**
   * Where an entry goes, or {@code null} to skip it (macOS resource forks).
   *
   * @throws DatasetRejectedException for an absolute name or one that climbs out with {@code ..}
   */
  private static Path destination(Path target, String name, String entryName)
      throws DatasetRejectedException {
    String n = entryName.replace('\\', '/');
    if (n.startsWith("__MACOSX/") || n.equals("__MACOSX")) {
      return null;
    }
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
      throw DatasetRejectedException.unreadable(name + ": entry '" + entryName
          + "' has an absolute path");
    }
    for (String segment : n.split("/")) {
      if (segment.equals("..")) {
        throw DatasetRejectedException.unreadable(name + ": entry '" + entryName
            + "' points outside the archive ('..')");
      }
    }
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    if (n.isEmpty() || n.equals(".")) {
      return null;
    }
    Path out = target.resolve(n).normalize();
    if (!out.startsWith(target)) {
      throw DatasetRejectedException.unreadable(name + ": entry '" + entryName
          + "' points outside the archive");
    }
    return out;
  }

  private static void copy(InputStream in, Path out, Budget budget)
      throws IOException, DatasetRejectedException {
    Files.createDirectories(out.getParent());
    byte[] buf = new byte[1 << 16];
    try (OutputStream os = Files.newOutputStream(out)) {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          throw new CorruptInput(e);
        }
        if (n < 0) {
          break;
        }
        budget.bytes(n);
        os.write(buf, 0, n);
      }
    }
  }

  /** Counts what has been unpacked against the limits. */
  private static final class Budget {
    private final String name;
    private final long maxBytes;
    private long bytes;
    private int entries;

    Budget(String name, long maxBytes) {
      this.name = name;
      this.maxBytes = maxBytes;
    }

    void entry() throws DatasetRejectedException {
      if (++entries > MAX_ENTRIES) {
        throw new DatasetRejectedException(DatasetRejectedException.Kind.TOO_LARGE, name
            + ": more than " + MAX_ENTRIES + " entries");
      }
    }

    void bytes(int n) throws DatasetRejectedException {
      bytes += n;
      if (bytes > maxBytes) {
        throw new DatasetRejectedException(DatasetRejectedException.Kind.TOO_LARGE, name
            + ": unpacks to more than " + maxBytes + " bytes (daflow.data.max-extracted-bytes)");
      }
    }
  }

  private static byte[] peek(Path archive, InputStream stream) throws IOException {
    try (InputStream in = stream) {
      return in.readNBytes(PEEK);
    }
  }

  private static boolean isZip(byte[] h) {
    // Local file header, or the end record of an empty archive.
    return h.length >= 4 && h[0] == 'P' && h[1] == 'K'
        && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6));
  }

  private static boolean isTar(byte[] h) {
    // POSIX ustar and GNU tar both write "ustar" at offset 257 of the first header.
    return h.length >= 262 && h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a'
        && h[261] == 'r';
  }

  private static String hex(byte[] h) {
    int n = Math.min(8, h.length);
    return HexFormat.ofDelimiter(" ").formatHex(h, 0, n) + (h.length > n ? " ..." : "");
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
