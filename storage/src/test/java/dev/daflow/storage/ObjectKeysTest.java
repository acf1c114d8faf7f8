package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  @Test
  void layoutMatchesTheEventExamples() {
    assertThat(ObjectKeys.datasetManifest("usps")).isEqualTo("datasets/usps/manifest.json");
    assertThat(ObjectKeys.checkpoint("job-7f3a", 3))
        .isEqualTo("checkpoints/job-7f3a/epoch-0003.ckpt");
    assertThat(ObjectKeys.bundle("job-7f3a")).isEqualTo("bundles/job-7f3a.bundle");
  }

  @Test
  void buildsEveryKindOfKey() {
    assertThat(ObjectKeys.datasetPrefix("mnist64-bg")).isEqualTo("datasets/mnist64-bg/");
    assertThat(ObjectKeys.datasetShard("mnist", "train", 0))
        .isEqualTo("datasets/mnist/train/shard-00000.bin");
    assertThat(ObjectKeys.datasetShard("mnist", "test", 99_999))
        .isEqualTo("datasets/mnist/test/shard-99999.bin");
    assertThat(ObjectKeys.checkpointPrefix("job_1.a")).isEqualTo("checkpoints/job_1.a/");
    assertThat(ObjectKeys.checkpoint("j", 0)).isEqualTo("checkpoints/j/epoch-0000.ckpt");
    assertThat(ObjectKeys.checkpoint("j", 12_345)).isEqualTo("checkpoints/j/epoch-12345.ckpt");
  }

  @Test
  void buildsTheKeysBesideACheckpointAndTheModelRecord() {
    assertThat(ObjectKeys.checkpointBundle("job-1", 12)).isEqualTo("checkpoints/job-1/epoch-0012.bundle");
    assertThat(ObjectKeys.evaluation("job-1", 0))
        .isEqualTo("checkpoints/job-1/epoch-0000.evaluation.json");
    assertThat(ObjectKeys.jobRecord("job-1")).isEqualTo("checkpoints/job-1/job.json");
    assertThat(ObjectKeys.finalEvaluation("job-1"))
        .isEqualTo("checkpoints/job-1/final.evaluation.json");
    assertThat(ObjectKeys.checkpointEpoch(ObjectKeys.finalEvaluation("job-1"))).isEmpty();
    assertThatThrownBy(() -> ObjectKeys.finalEvaluation("a..b")).hasMessageContaining("jobId");
    assertThat(ObjectKeys.report("job-1")).isEqualTo("checkpoints/job-1/report.json");
    assertThat(ObjectKeys.datasetPreview("mnist")).isEqualTo("datasets/mnist/preview.json");
    assertThat(ObjectKeys.report("job-1")).startsWith(ObjectKeys.checkpointPrefix("job-1"));
    assertThatThrownBy(() -> ObjectKeys.report("a/b")).hasMessageContaining("jobId");
    assertThat(ObjectKeys.modelRecord("digits")).isEqualTo("bundles/digits.model.json");
    assertThat(ObjectKeys.checkpointEpoch(ObjectKeys.checkpointBundle("job-1", 12))).isEmpty();
    assertThatThrownBy(() -> ObjectKeys.modelRecord("a/b"))
        .hasMessageContaining("modelName");
  }

  @Test
  void readsTheEpochBackFromACheckpointKey() {
    assertThat(ObjectKeys.checkpointEpoch(ObjectKeys.checkpoint("job-7f3a", 3)))
        .isEqualTo(OptionalInt.of(3));
    assertThat(ObjectKeys.checkpointEpoch(ObjectKeys.checkpoint("job-7f3a", 19_999)))
        .isEqualTo(OptionalInt.of(19_999));
    assertThat(ObjectKeys.checkpointEpoch("bundles/job-7f3a.bundle")).isEmpty();
    assertThat(ObjectKeys.checkpointEpoch("checkpoints/job-7f3a/epoch-3.ckpt")).isEmpty();
  }

  @Test
  void tellsTheKindOfAKey() {
    assertThat(ObjectKeys.kindOf("datasets/usps/manifest.json")).isEqualTo(ObjectKind.DATASET);
    assertThat(ObjectKeys.kindOf("checkpoints/j/epoch-0001.ckpt"))
        .isEqualTo(ObjectKind.CHECKPOINT);
    assertThat(ObjectKeys.kindOf("bundles/j.bundle")).isEqualTo(ObjectKind.BUNDLE);
    assertThatThrownBy(() -> ObjectKeys.kindOf("models/m/1/model.bundle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'models/m/1/model.bundle' is not a DAFlow key: it must start with "
            + "datasets/, checkpoints/ or bundles/");
    assertThatThrownBy(() -> ObjectKeys.kindOf("datasets/../bundles/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a..b", "a/b", "a b", "ü", "x\ty"})
  void rejectsUnsafeNames(String name) {
    assertThatThrownBy(() -> ObjectKeys.datasetManifest(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dataset must");
  }

  @Test
  void namesTheArgumentAndTheValueInItsErrors() {
    assertThatThrownBy(() -> ObjectKeys.checkpoint("../etc", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jobId must be 1-128 letters, digits, '.', '_' or '-', got '../etc'");
    assertThatThrownBy(() -> ObjectKeys.checkpoint("a..b", 1))
        .hasMessage("jobId must not be '.' or contain '..', got 'a..b'");
    assertThatThrownBy(() -> ObjectKeys.datasetShard("usps", "train/x", 0))
        .hasMessage("split must be 1-128 letters, digits, '.', '_' or '-', got 'train/x'");
    assertThatThrownBy(() -> ObjectKeys.bundle("a\nb"))
        .hasMessage("jobId must be 1-128 letters, digits, '.', '_' or '-', got 'a\\u000ab'");
    assertThatThrownBy(() -> ObjectKeys.bundle(null)).hasMessage("jobId must not be null");
    assertThat(ObjectKeys.bundle("x".repeat(128))).hasSize(8 + 128 + 7);
    assertThatThrownBy(() -> ObjectKeys.bundle("x".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundsShardsAndEpochs() {
    assertThatThrownBy(() -> ObjectKeys.datasetShard("usps", "train", -1))
        .hasMessage("shard index must be in 0..99999, got -1");
    assertThatThrownBy(() -> ObjectKeys.datasetShard("usps", "train", 100_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ObjectKeys.checkpoint("j", -1))
        .hasMessage("epoch must be in 0..99999, got -1");
    assertThatThrownBy(() -> ObjectKeys.checkpoint("j", 100_000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a", "a/", "a//b", "a/./b", "a/../b", "..", "a\\b", "a\u0000b"})
  void rejectsMalformedKeys(String key) {
    assertThatThrownBy(() -> ObjectKeys.checkKey(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("object key must");
  }

  @Test
  void limitsKeysToS3sLength() {
    assertThat(ObjectKeys.checkKey("a".repeat(1024))).hasSize(1024);
    assertThatThrownBy(() -> ObjectKeys.checkKey("é".repeat(513)))
        .hasMessage("object key must be at most 1024 bytes of UTF-8, got 1026");
    assertThatThrownBy(() -> ObjectKeys.checkKey(null))
        .hasMessage("object key must not be null or empty");
  }

  @Test
  void checksPrefixes() {
    assertThat(ObjectKeys.checkPrefix("")).isEmpty();
    assertThat(ObjectKeys.checkPrefix("datasets/")).isEqualTo("datasets/");
    assertThat(ObjectKeys.checkPrefix("datasets/us")).isEqualTo("datasets/us");
    assertThatThrownBy(() -> ObjectKeys.checkPrefix("datasets//"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ObjectKeys.checkPrefix(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
