package dev.daflow.ml.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.daflow.ml.data.Preprocessing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * One file that holds a whole model: a zip of
 *
 * <ul>
 *   <li>{@code graph.sd}: the SameDiff inference graph with its parameters;
 *   <li>{@code manifest.json}: format version, network, preprocessing (input shape, channels,
 *       scaling, standardisation), class names, the model card and the SHA-256 of {@code
 *       graph.sd};
 *   <li>{@code manifest.sha256}: the SHA-256 of {@code manifest.json}.
 * </ul>
 *
 * The loader checks both checksums and refuses a bundle whose content does not match them.
 */
public final class ModelBundle {
  /** Bundle format written by this version. */
  public static final int FORMAT_VERSION = 1;

  static final String GRAPH = "graph.sd";
  static final String MANIFEST = "manifest.json";
  static final String MANIFEST_SHA = "manifest.sha256";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelBundle() {}

  /** What {@code manifest.json} holds. */
  record Manifest(String format, int version, String network, Preprocessing preprocessing,
      List<String> classNames, ModelCard card, String graphSha256) {}

  /** Writes {@code model} to {@code file} (atomically: a temporary file moved into place). */
  public static void save(Model model, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".bundle-", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      write(model, out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes {@code model} as a bundle to a stream (left open). */
  public static void write(Model model, OutputStream out) throws IOException {
    ByteArrayOutputStream graphBytes = new ByteArrayOutputStream();
    model.graph().save(graphBytes, false);
    byte[] graph = graphBytes.toByteArray();
    byte[] manifest = JSON.writeValueAsBytes(new Manifest("daflow-bundle", FORMAT_VERSION,
        model.network(), model.preprocessing(), model.classNames(), model.card(),
        Checksums.sha256(graph)));
    ZipOutputStream zip = new ZipOutputStream(out);
    put(zip, MANIFEST, manifest);
    put(zip, MANIFEST_SHA, Checksums.sha256(manifest).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    // The weights, stored: deflate gains 7-8% on them for seconds of a core per 100 MB.
    zip.setLevel(Deflater.NO_COMPRESSION);
    put(zip, GRAPH, graph);
    zip.finish();
  }

  /** Reads and verifies a bundle file. */
  public static Model load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /** Reads and verifies a bundle from bytes. */
  public static Model read(byte[] bundle, String origin) throws IOException {
    return read(new ByteArrayInputStream(bundle), origin);
  }

  /**
   * Reads and verifies a bundle from a stream.
   *
   * @param origin names the bundle in error messages
   * @throws BundleFormatException if it is not a bundle, lacks an entry, or fails a checksum
   */
  public static Model read(InputStream in, String origin) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw new BundleFormatException(origin + ": not a readable model bundle (" + e.getMessage()
          + ")", e);
    }
    for (String name : List.of(MANIFEST, MANIFEST_SHA, GRAPH)) {
      if (!entries.containsKey(name)) {
        throw new BundleFormatException(origin + ": not a model bundle (no " + name + ")");
      }
    }
    byte[] manifestBytes = entries.get(MANIFEST);
    String expected = new String(entries.get(MANIFEST_SHA),
        java.nio.charset.StandardCharsets.US_ASCII).trim();
    if (!Checksums.sha256(manifestBytes).equals(expected)) {
      throw new BundleFormatException(origin + ": manifest.json fails its SHA-256 check");
    }
    Manifest m;
    try {
      m = JSON.readValue(manifestBytes, Manifest.class);
    } catch (IOException e) {
      throw new BundleFormatException(origin + ": unreadable manifest.json (" + e.getMessage()
          + ")", e);
    }
    if (!"daflow-bundle".equals(m.format()) || m.version() != FORMAT_VERSION) {
      throw new BundleFormatException(origin + ": unsupported bundle format " + m.format() + " v"
          + m.version() + " (this version reads v" + FORMAT_VERSION + ")");
    }
    byte[] graph = entries.get(GRAPH);
    if (!Checksums.sha256(graph).equals(m.graphSha256())) {
      throw new BundleFormatException(origin + ": graph.sd fails its SHA-256 check");
    }
    SameDiff sd;
    try {
      sd = SameDiff.load(new ByteArrayInputStream(graph), false);
    } catch (RuntimeException e) {
      throw new BundleFormatException(origin + ": graph.sd is not a loadable graph", e);
    }
    return new Model(sd, m.network(), m.preprocessing(), m.classNames(), m.card());
  }

  /** The manifest JSON of a model (for inspection and the CLI's {@code info}). */
  public static String describe(Model model) throws IOException {
    return JSON.writeValueAsString(new Manifest("daflow-bundle", FORMAT_VERSION, model.network(),
        model.preprocessing(), model.classNames(), model.card(), null));
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }
}
