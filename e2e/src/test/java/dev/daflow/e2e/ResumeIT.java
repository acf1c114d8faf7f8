package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.local.Services.Service;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A trainer killed mid-job: its replacement resumes the job from the last checkpoint. */
@ExtendWith(Platform.class)
@Order(4)
class ResumeIT {

  @Test
  void aKilledTrainersJobResumesFromItsCheckpointAndCompletes() throws Exception {
    Platform p = Platform.get();
    String job = "e2e-resume";
    p.publisher.publish(new TrainingRequested(job, "digits-resume", "source-only", "mnist",
        "usps", "lenet", 3, 64, null, null, "none", 7, 6_000));

    p.events.await(EpochBundleSaved.class, e -> e.jobId().equals(job), Duration.ofMinutes(5));
    // The trainer resumes from the last checkpoint its job record names, written just before
    // epoch-bundle.saved; the record is checked anyway, so the kill lands after a recorded epoch.
    FaultJobs.await("the job record names a checkpoint", Duration.ofMinutes(1),
        Duration.ofMillis(100),
        () -> Http.get(p.url(Service.TRAINER, "/jobs/" + job)).json().path("epoch").isInt());
    // Kill -9: no shutdown hook, no commit, as a node failure would.
    p.services.get(Service.TRAINER).process().kill();
    assertThat(p.events.all(TrainingCompleted.class, e -> e.jobId().equals(job)))
        .as("killed before the job ended").isEmpty();

    p.restart(Service.TRAINER, "trainer-2");
    TrainingStarted resumed = p.events.await(TrainingStarted.class,
        e -> e.jobId().equals(job) && e.startEpoch() > 0, Duration.ofMinutes(3));
    assertThat(resumed.startEpoch()).isBetween(1, 2);
    TrainingCompleted done = p.events.await(TrainingCompleted.class,
        e -> e.jobId().equals(job), Duration.ofMinutes(6));
    assertThat(done.epochs()).isEqualTo(3);
    // Every epoch was checkpointed once per event id; none was trained from scratch twice.
    assertThat(p.events.all(TrainingStarted.class, e -> e.jobId().equals(job)
        && e.startEpoch() == 0)).hasSize(1);
  }
}
