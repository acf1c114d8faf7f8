package dev.daflow.ml.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Epoch checkpoints in a folder: {@code epoch-0003.ckpt}, a zip of {@code meta.json} (the config
 * and position) and one entry per array (parameters and optimiser state). Written to a temporary
 * file and moved into place, so a crash never leaves a half-written checkpoint under its name.
 *
 * <p>The arrays are stored uncompressed (weights and optimiser state compress by 7-8% at
 * deflate's fastest level, for five times the writing time) and go through a buffer of {@value
 * #BUFFER} bytes: ND4J writes and reads them one value at a time, and unbuffered each value
 * was four calls into the zip stream. A {@code dann-svhn} checkpoint (about 250 MB) took 22 s to
 * write and 25 s to read that way on one core, 1.5 s and 5 s now (docs/performance.md).
 */
public final class Checkpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String META = "meta.json";
  /** The buffer between ND4J's value-by-value streams and the zip. */
  static final int BUFFER = 1 << 20;

  private final Path dir;

  public Checkpoints(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /**
   * A saved training state.
   *
   * @param epoch the last completed epoch (0-based)
   * @param iteration steps completed over the run
   * @param config the run's hyperparameters
   * @param arrays parameters and optimiser state by name
   */
  public record State(int epoch, long iteration, TrainingConfig config,
      Map<String, INDArray> arrays) {}

  record Meta(int epoch, long iteration, TrainingConfig config) {}

  /** Writes the state of a completed epoch; returns the file. */
  public Path save(State state) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(String.format("epoch-%04d.ckpt", state.epoch()));
    Path tmp = Files.createTempFile(dir, ".epoch-", ".tmp");
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.setLevel(Deflater.NO_COMPRESSION);
      zip.putNextEntry(new ZipEntry(META));
      zip.write(JSON.writeValueAsBytes(new Meta(state.epoch(), state.iteration(),
          state.config())));
      zip.closeEntry();
      DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, BUFFER));
      for (var e : state.arrays().entrySet()) {
        zip.putNextEntry(new ZipEntry("arrays/" + e.getKey()));
        Nd4j.write(e.getValue(), data);
        data.flush();
        zip.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** The checkpoint of the highest epoch in the folder, if any. */
  public Optional<Path> latest() throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("epoch-\\d{4}\\.ckpt"))
          .max(Path::compareTo);
    }
  }

  /** Reads a checkpoint file. */
  public static State load(Path file) throws IOException {
    Meta meta = null;
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(META)) {
          meta = JSON.readValue(zip.readAllBytes(), Meta.class);
        } else if (e.getName().startsWith("arrays/")) {
          arrays.put(e.getName().substring("arrays/".length()),
              Nd4j.read(new DataInputStream(new BufferedInputStream(zip, BUFFER))));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not a readable checkpoint (" + e.getMessage() + ")", e);
    }
    if (meta == null) {
      throw new IOException(file + ": checkpoint has no " + META);
    }
    return new State(meta.epoch(), meta.iteration(), meta.config(), arrays);
  }
}
