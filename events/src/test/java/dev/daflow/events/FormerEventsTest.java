package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Records published under an event's former name and fields, as they sit on the topics, still
 * decode: {@code checkpoint.saved} into {@link EpochBundleSaved}, an old {@code
 * training.completed} into {@link TrainingCompleted} with its new fields null.
 */
class FormerEventsTest {
  private final EventCodec codec = EventCodec.forService("test");

  private static ConsumerRecord<String, byte[]> record(String ceType, String key, String json) {
    RecordHeaders h = new RecordHeaders();
    h.add("ce_specversion", bytes("1.0"));
    h.add("ce_id", bytes("5f0c2d0e-0000-4000-8000-000000000001"));
    h.add("ce_source", bytes("/daflow/trainer-service"));
    h.add("ce_type", bytes(ceType));
    h.add("ce_time", bytes("2026-11-24T02:41:02.123Z"));
    h.add("content-type", bytes("application/json"));
    return Transport.record(Topics.TRAINING, key, bytes(json), h);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCheckpointSavedRecordDecodesIntoAnEpochBundleSaved() throws Exception {
    // Verbatim what trainer-service published as checkpoint.saved (docs/events.md's example).
    String json = "{\"jobId\":\"job-7f3a\",\"modelName\":\"dann-mnist-usps\",\"epoch\":3,"
        + "\"phase\":\"adapt\",\"objectKey\":\"checkpoints/job-7f3a/epoch-0003.bundle\","
        + "\"sha256\":\"" + "b".repeat(64) + "\",\"meanLosses\":{\"label\":0.0912,"
        + "\"domain\":0.6834},\"seconds\":27.9,\"imagesPerSecond\":2146.0}";
    EventEnvelope<DaflowEvent> got = codec.decode(record("dev.daflow.checkpoint.saved",
        "job-7f3a", json));

    assertThat(got.type()).isEqualTo(EventType.EPOCH_BUNDLE_SAVED);
    assertThat(got.event()).isEqualTo(new EpochBundleSaved("job-7f3a", "dann-mnist-usps", 3,
        "adapt", null, null, "checkpoints/job-7f3a/epoch-0003.bundle", "b".repeat(64),
        Map.of("label", 0.0912, "domain", 0.6834), 27.9, 2146.0));
    // Typed decoding accepts it too (a listener that expects the new record).
    assertThat(codec.decode(record("dev.daflow.checkpoint.saved", "job-7f3a", json),
        EpochBundleSaved.class).event().bundleKey())
        .isEqualTo("checkpoints/job-7f3a/epoch-0003.bundle");
  }

  @Test
  void aFormerFieldIsStillRequired() {
    String json = "{\"jobId\":\"job-7f3a\",\"modelName\":\"m\",\"epoch\":3,\"phase\":\"adapt\","
        + "\"sha256\":\"b\",\"meanLosses\":{},\"seconds\":1.0,\"imagesPerSecond\":1.0}";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode(
        record("dev.daflow.checkpoint.saved", "job-7f3a", json)))
        .isInstanceOf(EventFormatException.class)
        .hasMessageContaining("field 'bundleKey' is missing");
  }

  @Test
  void anOldModelEvaluatedDecodesWithoutValidators() throws Exception {
    // A model.evaluated as the evaluator published it before the validators field.
    String evaluation = "{\"dataset\":\"%s\",\"count\":2,\"accuracy\":0.5,"
        + "\"perClassAccuracy\":{\"0\":1.0,\"1\":\"NaN\"},\"confusion\":[[1,0],[1,0]]}";
    String json = "{\"modelName\":\"digits\",\"jobId\":\"job-7f3a\",\"artifact\":\"bundle\","
        + "\"objectKey\":\"bundles/job-7f3a.bundle\",\"epoch\":2,\"classNames\":[\"0\",\"1\"],"
        + "\"source\":" + String.format(evaluation, "mnist/test") + ",\"target\":"
        + String.format(evaluation, "usps/test") + "}";
    ConsumerRecord<String, byte[]> r = record("dev.daflow.model.evaluated", "digits", json);
    ModelEvaluated got = codec.decode(r, ModelEvaluated.class).event();
    assertThat(got.validators()).isNull();
    assertThat(got.validatorsOrEmpty()).isEmpty();
    assertThat(got.target().dataset()).isEqualTo("usps/test");
    assertThat(got.target().perClassAccuracy().get("1")).isNaN();
  }

  @Test
  void anOldTrainingCompletedDecodesWithItsNewFieldsNull() throws Exception {
    String json = "{\"jobId\":\"job-7f3a\",\"modelName\":\"dann-mnist-usps\","
        + "\"bundleKey\":\"bundles/job-7f3a.bundle\",\"sha256\":\"" + "c".repeat(64) + "\","
        + "\"epochs\":10,\"seconds\":281.4,\"imagesPerSecond\":2139.7,"
        + "\"metrics\":{\"source_test_accuracy\":0.9912}}";
    TrainingCompleted got = codec.decode(record("dev.daflow.training.completed", "job-7f3a",
        json), TrainingCompleted.class).event();
    assertThat(got.bundleKey()).isEqualTo("bundles/job-7f3a.bundle");
    assertThat(got.metrics()).containsEntry("source_test_accuracy", 0.9912);
    assertThat(got.source()).isNull();
    assertThat(got.lastEpochBundleKey()).isNull();
    assertThat(got.lastEpochSha256()).isNull();
  }
}
