package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.contract.Method;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingRequested;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.trainer.service.Admission.Conflict;
import dev.daflow.trainer.service.Admission.Decision;
import dev.daflow.trainer.service.Admission.Duplicate;
import dev.daflow.trainer.service.Admission.HandedOver;
import dev.daflow.trainer.service.Admission.Invalid;
import dev.daflow.trainer.service.Admission.Resume;
import dev.daflow.trainer.service.Admission.Train;
import dev.daflow.trainer.service.RequestValidator.Accepted;
import dev.daflow.trainer.service.RequestValidator.Verdict;
import dev.daflow.trainer.service.RunningJob.Stop;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Admission}'s rules, without a store or a broker. */
class AdmissionTest {
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final TrainingRequested REQUEST = request(3);
  private static final Verdict VALID = new Verdict(new Accepted(REQUEST,
      new JobSpec("mnist", "usps", TrainingConfig.defaults(Method.DANN, "lenet"), 600),
      "dann-mnist-usps"), List.of());

  private static TrainingRequested request(int epochs) {
    return new TrainingRequested("job-1", null, "dann", "mnist", "usps", null, epochs, 64, null,
        null, "none", 7, 600);
  }

  private static JobRecord record(JobState state, String requestEventId, Integer epoch,
      boolean cancel) {
    return new JobRecord("job-1", "dann-mnist-usps", REQUEST, requestEventId, state,
        "trainer-a", "lenet", epoch, 3, cancel, null, null, T0, T0, T0, null,
        epoch == null ? null : saved(epoch));
  }

  private static EpochBundleSaved saved(int epoch) {
    return new EpochBundleSaved("job-1", "dann-mnist-usps", epoch, "adapt", "mnist", "usps",
        "checkpoints/job-1/epoch-000" + epoch + ".bundle", "ab".repeat(32), Map.of(), 1, 1);
  }

  private static Decision decide(Optional<JobRecord> existing, Stop stop) {
    return Admission.decide(REQUEST, "req-2", VALID, existing, stop);
  }

  @Test
  void anInvalidRequestIsRejectedUnderItsJobIdOrUnknown() {
    Verdict invalid = new Verdict(null, List.of("epochs must be in 1..10000, got 0"));
    assertThat(Admission.decide(REQUEST, "req-1", invalid, Optional.empty(), null))
        .isEqualTo(new Invalid("job-1", List.of("epochs must be in 1..10000, got 0")));
    TrainingRequested unnamed = new TrainingRequested("bad id", null, "dann", "mnist", "usps",
        null, 3, 64, null, null, "none", 7, 600);
    assertThat(((Invalid) Admission.decide(unnamed, "req-1", invalid, Optional.empty(),
        null)).key()).isEqualTo("unknown");
  }

  @Test
  void aNewJobTrainsFromAnyCheckpointInTheStore() {
    Decision d = decide(Optional.empty(), null);
    assertThat(d).isEqualTo(new Train(VALID.accepted(), Resume.FRESH));
    assertThat(Resume.FRESH.upToEpoch()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aCompletedJobNeverTrainsAgain() {
    assertThat(decide(Optional.of(record(JobState.COMPLETED, "req-1", 2, false)), null))
        .isEqualTo(new Duplicate(JobState.COMPLETED, "req-1"));
  }

  @Test
  void aFailedOrCancelledJobResumesForANewRequestNotForARedeliveredOne() {
    for (JobState ended : List.of(JobState.FAILED, JobState.CANCELLED)) {
      assertThat(Admission.decide(REQUEST, "req-1", VALID,
          Optional.of(record(ended, "req-1", 1, true)), null))
          .as("redelivered to a %s job", ended).isInstanceOf(Duplicate.class);
      Train t = (Train) decide(Optional.of(record(ended, "req-1", 1, true)), null);
      assertThat(t.resume().upToEpoch()).isEqualTo(1);
      // A cancel flag of a run that ended is not carried into the new run.
      assertThat(t.resume().keepCancel()).isFalse();
    }
  }

  @Test
  void aJobThatExistsWithAnotherRequestIsAConflict() {
    JobRecord other = new JobRecord("job-1", "dann-mnist-usps", request(5), "req-1",
        JobState.CANCELLED, "trainer-a", "lenet", 0, 5, false, null, null, T0, T0, T0, T0, null);
    assertThat(decide(Optional.of(other), null)).isEqualTo(new Conflict(
        "job 'job-1' exists (cancelled) with another request; use a new job id"));
  }

  @Test
  void aCompletedJobAskedForSomethingElseIsAConflictNotASilentDuplicate() {
    JobRecord done = new JobRecord("job-1", "dann-mnist-usps", request(5), "req-1",
        JobState.COMPLETED, "trainer-a", "lenet", 4, 5, false, null, null, T0, T0, T0, T0, null);
    assertThat(decide(Optional.of(done), null)).isEqualTo(new Conflict(
        "job 'job-1' exists (completed) with another request; use a new job id"));
    // A redelivered copy of the request it served stays a duplicate.
    assertThat(Admission.decide(request(5), "req-1", VALID, Optional.of(done), null))
        .isEqualTo(new Duplicate(JobState.COMPLETED, "req-1"));
  }

  @Test
  void aJobHandedOverBeforeItStartedIsLeftToItsNextOwner() {
    assertThat(decide(Optional.empty(), Stop.HANDOVER)).isEqualTo(new HandedOver());
    // A duplicate stays a duplicate, and a user's stop does not prevent the run (it ends in
    // training.cancelled there).
    assertThat(decide(Optional.of(record(JobState.COMPLETED, "req-1", 2, false)),
        Stop.HANDOVER)).isInstanceOf(Duplicate.class);
    assertThat(decide(Optional.empty(), Stop.USER)).isInstanceOf(Train.class);
  }

  @Test
  void theResumeWindowIsTheRecordedEpoch() {
    // A running job (its trainer died): up to its recorded epoch, its cancel flag and creation
    // time kept, its recorded announcement kept for that epoch only.
    Train t = (Train) decide(Optional.of(record(JobState.RUNNING, "req-1", 1, true)), null);
    Resume r = t.resume();
    assertThat(r.upToEpoch()).isEqualTo(1);
    assertThat(r.keepCancel()).isTrue();
    assertThat(r.createdAt()).isEqualTo(T0);
    assertThat(r.announcementFor(1)).isEqualTo(saved(1));
    assertThat(r.announcementFor(0)).as("epoch 1 failed to verify: trained again").isNull();
    // A record before its first epoch: no checkpoint in the store counts (-1).
    Train none = (Train) decide(Optional.of(record(JobState.RUNNING, "req-1", null, false)),
        null);
    assertThat(none.resume().upToEpoch()).isEqualTo(-1);
    assertThat(none.resume().announcementFor(-1)).isNull();
  }

  @Test
  void aRecordStoredWhenTheEventWasCheckpointSavedResumesWithItsAnnouncement() throws Exception {
    // The record as trainers wrote it before the rename: "objectKey", no datasets.
    ObjectNode json = (ObjectNode) JobRecords.JSON.readTree(
        JobRecords.toJson(record(JobState.RUNNING, "req-1", 1, false)));
    ObjectNode checkpoint = (ObjectNode) json.get("checkpoint");
    checkpoint.put("objectKey", checkpoint.remove("bundleKey").asText());
    checkpoint.remove("source");
    checkpoint.remove("target");
    JobRecord old = JobRecords.read(JobRecords.JSON.writeValueAsBytes(json), "old record");

    Resume r = Admission.resumeOf(old);
    assertThat(r.announcementFor(1).bundleKey()).isEqualTo("checkpoints/job-1/epoch-0001.bundle");
    assertThat(r.announcementFor(1).source()).isNull();
  }
}
