package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The serving version in the evaluator's model record. */
class ModelRecordsTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private static Optional<LoadRequest> read(String json) throws IOException {
    return ModelRecords.servingVersion("digits", json.getBytes(StandardCharsets.UTF_8),
        "bundles/digits.model.json");
  }

  @Test
  void recordKeys() {
    assertThat(ModelRecords.isRecordKey("bundles/digits.model.json")).isTrue();
    assertThat(ModelRecords.modelName("bundles/digits.model.json")).isEqualTo("digits");
    assertThat(ModelRecords.isRecordKey("bundles/job-1.bundle")).isFalse();
    assertThat(ModelRecords.isRecordKey("bundles/x/y.model.json")).isFalse();
    assertThat(ModelRecords.isRecordKey("bundles/.model.json")).isFalse();
  }

  @Test
  void highestVersionWins() throws IOException {
    LoadRequest r = read("{\"modelName\":\"digits\",\"versions\":["
        + "{\"version\":1,\"jobId\":\"j1\",\"bundleKey\":\"bundles/j1.bundle\",\"sha256\":\"" + A
        + "\",\"policy\":\"best-source-accuracy\"},"
        + "{\"version\":2,\"jobId\":\"j2\",\"bundleKey\":\"bundles/j2.bundle\",\"sha256\":\"" + B
        + "\",\"metrics\":{\"source_test_accuracy\":0.99}}]}").orElseThrow();
    assertThat(r.name()).isEqualTo("digits");
    assertThat(r.version()).isEqualTo(2);
    assertThat(r.jobId()).isEqualTo("j2");
    assertThat(r.bundleKey()).isEqualTo("bundles/j2.bundle");
    assertThat(r.sha256()).isEqualTo(B);
  }

  @Test
  void currentVersionAndUnpromotedEntriesAreHonoured() throws IOException {
    String versions = "\"versions\":["
        + "{\"version\":1,\"bundleKey\":\"bundles/j1.bundle\",\"sha256\":\"" + A + "\"},"
        + "{\"version\":2,\"bundleKey\":\"bundles/j2.bundle\",\"sha256\":\"" + B
        + "\",\"promoted\":false}]";
    assertThat(read("{" + versions + "}").orElseThrow().version()).isEqualTo(1);
    assertThat(read("{\"currentVersion\":1," + versions + "}").orElseThrow().version())
        .isEqualTo(1);
  }

  @Test
  void emptyOrIncompleteRecordsServeNothing() throws IOException {
    assertThat(read("{\"versions\":[]}")).isEmpty();
    assertThat(read("{\"versions\":[{\"version\":1,\"bundleKey\":\"bundles/j1.bundle\"}]}"))
        .isEmpty();
  }

  @Test
  void foreignRecordsAreErrors() {
    assertThatThrownBy(() -> read("not json")).isInstanceOf(IOException.class)
        .hasMessageContaining("bundles/digits.model.json: not JSON");
    assertThatThrownBy(() -> read("{\"modelName\":\"other\",\"versions\":[]}"))
        .hasMessageContaining("names model 'other'");
    assertThatThrownBy(() -> read("{\"versions\":{}}")).hasMessageContaining("no 'versions'");
  }
}
