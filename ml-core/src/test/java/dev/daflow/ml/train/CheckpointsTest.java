package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Method;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Checkpoints give back every array bit for bit, through the buffered, uncompressed format and
 * from checkpoints written before it (deflated, unbuffered).
 */
class CheckpointsTest {
  private static final TrainingConfig CONFIG = TrainingConfig.defaults(Method.DANN, "lenet");

  /** Arrays of several types and shapes, one larger than the buffer, one a view. */
  private static Map<String, INDArray> arrays() {
    Nd4j.getRandom().setSeed(7);
    Map<String, INDArray> a = new LinkedHashMap<>();
    a.put("encoder/conv1/W", Nd4j.randn(DataType.FLOAT, 20, 1, 5, 5));
    a.put("big", Nd4j.randn(DataType.FLOAT, 3 * Checkpoints.BUFFER / 4 + 17)); // > BUFFER bytes
    a.put("view", Nd4j.randn(DataType.FLOAT, 6, 8).get(NDArrayIndex.interval(1, 4),
        NDArrayIndex.interval(2, 7)));
    a.put("double", Nd4j.randn(DataType.DOUBLE, 3, 3));
    a.put("empty", Nd4j.create(DataType.FLOAT, 0));
    return a;
  }

  @Test
  void roundTripIsExact(@TempDir Path dir) throws IOException {
    Map<String, INDArray> arrays = arrays();
    Path file = new Checkpoints(dir).save(new Checkpoints.State(2, 300, CONFIG, arrays));
    assertThat(file.getFileName().toString()).isEqualTo("epoch-0002.ckpt");
    try (ZipFile zip = new ZipFile(file.toFile())) {
      // Deflate's level 0: stored blocks, so nothing smaller than the values themselves.
      ZipEntry big = zip.getEntry("arrays/big");
      assertThat(big.getCompressedSize()).as("no compression")
          .isGreaterThanOrEqualTo(big.getSize());
    }
    assertSame(Checkpoints.load(file), arrays);
  }

  @Test
  void readsCheckpointsOfTheFormerFormat(@TempDir Path dir) throws IOException {
    Map<String, INDArray> arrays = arrays();
    Path file = dir.resolve("epoch-0002.ckpt");
    // As versions before 2026-12-04 wrote them: deflated, ND4J's stream straight into the zip.
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip =
        new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("meta.json"));
      zip.write(("{\"epoch\":2,\"iteration\":300,\"config\":"
          + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(CONFIG) + "}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
      DataOutputStream data = new DataOutputStream(zip);
      for (var e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry("arrays/" + e.getKey()));
        Nd4j.write(e.getValue(), data);
        data.flush();
        zip.closeEntry();
      }
    }
    assertSame(Checkpoints.load(file), arrays);
  }

  private static void assertSame(Checkpoints.State state, Map<String, INDArray> arrays) {
    assertThat(state.epoch()).isEqualTo(2);
    assertThat(state.iteration()).isEqualTo(300);
    assertThat(state.config()).isEqualTo(CONFIG);
    assertThat(state.arrays()).containsOnlyKeys(arrays.keySet());
    arrays.forEach((name, expected) -> {
      INDArray got = state.arrays().get(name);
      assertThat(got.dataType()).as(name).isEqualTo(expected.dataType());
      assertThat(got.shape()).as(name).isEqualTo(expected.shape());
      assertThat(got.castTo(DataType.DOUBLE).data().asDouble()).as(name + " bit for bit")
          .isEqualTo(expected.dup().castTo(DataType.DOUBLE).data().asDouble());
    });
  }
}
