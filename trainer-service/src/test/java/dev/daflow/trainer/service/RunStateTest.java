package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.train.TrainingCancelledException;
import dev.daflow.storage.StorageUnavailableException;
import dev.daflow.trainer.service.Admission.Conflict;
import dev.daflow.trainer.service.Admission.Duplicate;
import dev.daflow.trainer.service.Admission.HandedOver;
import dev.daflow.trainer.service.Admission.Invalid;
import dev.daflow.trainer.service.Admission.Resume;
import dev.daflow.trainer.service.Admission.Train;
import dev.daflow.trainer.service.RunningJob.Stop;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RunState}: the transitions of a job's run. */
class RunStateTest {

  @Test
  void admissionDecisionsLeadToTheirStates() {
    assertThat(RunState.admitted(new Invalid("job-1", List.of("x")))).isEqualTo(RunState.REJECTED);
    assertThat(RunState.admitted(new Conflict("x"))).isEqualTo(RunState.REJECTED);
    assertThat(RunState.admitted(new Duplicate(JobState.COMPLETED, "r")))
        .isEqualTo(RunState.DUPLICATE);
    assertThat(RunState.admitted(new HandedOver())).isEqualTo(RunState.HANDED_OVER);
    assertThat(RunState.admitted(new Train(null, Resume.FRESH))).isEqualTo(RunState.RESUMING);
  }

  @Test
  void aCancelRecordedWhileWaitingEndsTheJobAtItsResumption() {
    assertThat(RunState.resumed(true)).isEqualTo(RunState.CANCELLED);
    assertThat(RunState.resumed(false)).isEqualTo(RunState.TRAINING);
  }

  @Test
  void trainingEndsByItsOutcomeAndWhyTheJobIsStopped() throws Exception {
    TrainingCancelledException cancel = new TrainingCancelledException(3);
    assertThat(RunState.trained(null, null)).isEqualTo(RunState.COMPLETED);
    assertThat(RunState.trained(cancel, Stop.USER)).isEqualTo(RunState.CANCELLED);
    assertThat(RunState.trained(cancel, Stop.HANDOVER)).isEqualTo(RunState.HANDED_OVER);
    assertThat(RunState.trained(new IOException("disk full"), null))
        .isEqualTo(RunState.FAILED);
    assertThat(RunState.trained(new IllegalStateException("loss is NaN"), Stop.HANDOVER))
        .as("stopped for a handover: its next owner resumes it").isEqualTo(RunState.HANDED_OVER);
    StorageUnavailableException away = storageAway();
    assertThat(RunState.trained(away, null)).isEqualTo(RunState.PAUSED);
    assertThat(RunState.trained(away, Stop.HANDOVER)).isEqualTo(RunState.STOPPED);
    assertThat(RunState.trained(away, Stop.USER)).isEqualTo(RunState.STOPPED);
    assertThat(RunState.trained(new OutOfMemoryError("Java heap space"), null))
        .as("a job beyond the trainer's memory bounds fails; the trainer goes on")
        .isEqualTo(RunState.FAILED);
  }

  /** What the object store throws when it cannot be reached (its constructor is the store's). */
  private static StorageUnavailableException storageAway() throws Exception {
    var c = StorageUnavailableException.class.getDeclaredConstructor(String.class, String.class,
        Throwable.class);
    c.setAccessible(true);
    return c.newInstance("http://127.0.0.1:9000", "put", new IOException("connection refused"));
  }

  @Test
  void aPauseRetriesFromTheAdmissionOrStops() {
    assertThat(RunState.PAUSED.successors())
        .containsExactlyInAnyOrder(RunState.ADMITTING, RunState.STOPPED);
    assertThat(RunState.PAUSED.to(RunState.ADMITTING)).isEqualTo(RunState.ADMITTING);
    assertThat(RunState.unavailable(false)).isEqualTo(RunState.PAUSED);
    assertThat(RunState.unavailable(true)).isEqualTo(RunState.STOPPED);
  }

  @Test
  void onlyNamedTransitionsAreAllowedAndEndStatesLeadNowhere() {
    assertThatThrownBy(() -> RunState.ADMITTING.to(RunState.COMPLETED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no transition from ADMITTING to COMPLETED");
    EnumSet<RunState> working = EnumSet.of(RunState.ADMITTING, RunState.RESUMING,
        RunState.TRAINING, RunState.PAUSED);
    for (RunState s : RunState.values()) {
      assertThat(s.isEnd()).as(s.name()).isEqualTo(!working.contains(s));
    }
    // Every working state but the pause can be paused, stopped, or crash on a bug.
    for (RunState s : EnumSet.of(RunState.ADMITTING, RunState.RESUMING, RunState.TRAINING)) {
      assertThat(s.successors()).contains(RunState.PAUSED, RunState.STOPPED, RunState.CRASHED);
    }
  }

  @Test
  void theJobStateFollowsTheRun() {
    assertThat(RunState.TRAINING.jobState()).isEqualTo(JobState.RUNNING);
    assertThat(RunState.COMPLETED.jobState()).isEqualTo(JobState.COMPLETED);
    assertThat(RunState.CANCELLED.jobState()).isEqualTo(JobState.CANCELLED);
    assertThat(RunState.FAILED.jobState()).isEqualTo(JobState.FAILED);
    assertThat(RunState.PAUSED.jobState()).isNull();
    assertThat(RunState.HANDED_OVER.jobState()).isNull();
  }
}
