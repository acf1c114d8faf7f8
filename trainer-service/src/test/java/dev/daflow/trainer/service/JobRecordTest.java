package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingRequested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job record's JSON and its state changes. */
class JobRecordTest {
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-24T00:01:00Z");

  private static JobRecord running() {
    TrainingRequested r = new TrainingRequested("job-1", null, "dann", "mnist", "usps", null, 2,
        64, 0.01, null, "none", 7, 600);
    return new JobRecord("job-1", "dann-mnist-usps", r, "req-1", JobState.RUNNING, "trainer-a",
        "lenet", null, 2, false, null, null, T0, T0, T0, null, null);
  }

  private static EpochBundleSaved saved(int epoch) {
    return new EpochBundleSaved("job-1", "dann-mnist-usps", epoch, "adapt", "mnist", "usps",
        "checkpoints/job-1/epoch-000" + epoch + ".bundle", "0f".repeat(32),
        Map.of("label", 0.25), 3.5, 1200);
  }

  @Test
  void jsonRoundTrip() {
    JobRecord record = running().withCheckpoint(saved(0), T1).withCancelRequested(true, T1);
    byte[] json = JobRecords.toJson(record);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"state\" : \"RUNNING\"", "\"createdAt\" : \"2026-11-24T00:00:00Z\"",
            "\"cancelRequested\" : true", "\"epoch\" : 0",
            "\"bundleKey\" : \"checkpoints/job-1/epoch-0000.bundle\"");
    assertThat(JobRecords.read(json, "test")).isEqualTo(record);
  }

  @Test
  void theCheckpointStaysThroughStateChangesAndOldRecordsStillRead() throws Exception {
    JobRecord record = running().withCheckpoint(saved(1), T1);
    assertThat(record.epoch()).isEqualTo(1);
    assertThat(record.updatedAt()).isEqualTo(T1);
    assertThat(record.withState(JobState.CANCELLED, T1).checkpoint()).isEqualTo(saved(1));
    assertThat(record.failed("x", T1).checkpoint()).isEqualTo(saved(1));
    assertThat(record.completed("bundles/job-1.bundle", T1).checkpoint()).isEqualTo(saved(1));
    assertThat(JobView.of(record, null).checkpointKey())
        .isEqualTo("checkpoints/job-1/epoch-0001.bundle");

    // A record written before the checkpoint field existed: epoch without its announcement.
    ObjectNode old = (ObjectNode) JobRecords.JSON.readTree(
        JobRecords.toJson(running().withCheckpoint(saved(0), T1)));
    assertThat(old.remove("checkpoint")).isNotNull();
    JobRecord read = JobRecords.read(JobRecords.JSON.writeValueAsBytes(old), "test");
    assertThat(read.epoch()).isZero();
    assertThat(read.checkpoint()).isNull();
    assertThat(JobView.of(read, null).checkpointKey()).isNull();
  }

  @Test
  void whoAskedStaysThroughStateChangesAndOldRecordsReadAsUnknown() throws Exception {
    JobRecord r = running();
    JobRecord asked = new JobRecord(r.jobId(), r.modelName(), r.request(), r.requestEventId(),
        r.state(), r.replica(), r.network(), r.epoch(), r.totalEpochs(), r.cancelRequested(),
        r.error(), r.bundleKey(), r.createdAt(), r.startedAt(), r.updatedAt(), r.finishedAt(),
        r.checkpoint(), "kafka:daflow-client");
    JobRecord later = asked.withCheckpoint(saved(0), T1).withCancelRequested(true, T1)
        .withState(JobState.CANCELLED, T1);
    assertThat(later.requestedBy()).isEqualTo("kafka:daflow-client");
    assertThat(asked.failed("x", T1).requestedBy()).isEqualTo("kafka:daflow-client");
    assertThat(asked.completed("b", T1).requestedBy()).isEqualTo("kafka:daflow-client");
    assertThat(JobRecords.read(JobRecords.toJson(later), "test")).isEqualTo(later);
    assertThat(JobView.of(later, null).requestedBy()).isEqualTo("kafka:daflow-client");

    // A record written before the field existed reads, naming nobody.
    ObjectNode old = (ObjectNode) JobRecords.JSON.readTree(JobRecords.toJson(asked));
    assertThat(old.remove("requestedBy")).isNotNull();
    JobRecord read = JobRecords.read(JobRecords.JSON.writeValueAsBytes(old), "test");
    assertThat(read.requestedBy()).isNull();
    assertThat(read.jobId()).isEqualTo("job-1");
  }

  @Test
  void terminalStatesStampTheEnd() {
    JobRecord done = running().completed("bundles/job-1.bundle", T1);
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.finishedAt()).isEqualTo(T1);
    assertThat(done.bundleKey()).isEqualTo("bundles/job-1.bundle");
    JobRecord failed = running().failed("IllegalStateException: loss is NaN", T1);
    assertThat(failed.state().terminal()).isTrue();
    assertThat(failed.error()).contains("NaN");
    assertThat(running().withState(JobState.CANCELLED, T1).finishedAt()).isEqualTo(T1);
    assertThat(JobState.RUNNING.terminal()).isFalse();
  }

  @Test
  void rejectionKeyIsTheJobIdWhenValid() {
    assertThat(Admission.rejectionKey("job-1")).isEqualTo("job-1");
    assertThat(Admission.rejectionKey("bad id")).isEqualTo("unknown");
    assertThat(Admission.rejectionKey(null)).isEqualTo("unknown");
  }

  @Test
  void failureMessageNamesTheException() {
    assertThat(JobExecution.describe(new IllegalStateException("loss is NaN")))
        .isEqualTo("IllegalStateException: loss is NaN");
    assertThat(JobExecution.describe(new RuntimeException(null,
        new java.io.IOException("disk full")))).isEqualTo("RuntimeException: java.io.IOException: disk full");
  }
}
