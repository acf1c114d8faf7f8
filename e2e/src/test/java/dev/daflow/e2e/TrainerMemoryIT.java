package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingFailed;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.local.Services;
import dev.daflow.local.Services.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, fault 6: memory pressure on the trainer. A trainer whose off-heap bound
 * ({@code org.bytedeco.javacpp.maxphysicalbytes}, the resident memory JavaCPP lets ND4J reach)
 * is {@value #BOUND} gets a job far beyond it (DANN, batches of 4096 pictures): the job fails with
 * {@code training.failed} naming the bound it passed, and the same trainer then trains a small
 * job to completion. That trainer stays as the platform's.
 */
@ExtendWith(Platform.class)
@Order(9)
class TrainerMemoryIT {
  static final String BOUND = "1600M";

  @Test
  void aJobBeyondTheOffHeapBoundFailsWithItsReasonAndTheTrainerGoesOn() throws Exception {
    Platform p = Platform.get();
    FaultJobs.ingested(p);
    p.services.get(Service.TRAINER).process().close();
    Services.Running trainer = p.startReplica(Service.TRAINER, "trainer-f6",
        Map.of("DAFLOW_TRAINER_REPLICA_ID", "f6"),
        List.of("-Dorg.bytedeco.javacpp.maxphysicalbytes=" + BOUND));
    p.adopt(trainer);
    System.out.printf("e2e-f6: trainer up, resident memory %.0f MiB, bound %s%n",
        FaultJobs.metric(trainer.url(), "daflow_nd4j_physical_bytes") / (1 << 20), BOUND);
    long t0 = System.nanoTime();

    String big = "f6-too-big";
    p.publisher.publish(new TrainingRequested(big, "f6-memory", "dann", "mnist", "usps",
        "lenet", 1, 4096, null, null, "none", 1, 8192));
    TrainingFailed failed = p.events.await(TrainingFailed.class, e -> e.jobId().equals(big),
        Duration.ofMinutes(4));
    System.out.printf("e2e-f6: %s failed after %d s: %s%n", big,
        (System.nanoTime() - t0) / 1_000_000_000L, failed.error());
    assertThat(failed.error()).startsWith("OutOfMemoryError: ")
        .contains("maxPhysicalBytes", "maxphysicalbytes " + (Long.parseLong(
            BOUND.replace("M", ""))) + " MiB", "a smaller batchSize or trainLimit needs less");
    // The trainer announces the failure, then records it (as it does a completion): the job's
    // record says FAILED moments after the event, so poll it for a few seconds.
    FaultJobs.await("job " + big + " recorded FAILED", Duration.ofSeconds(10),
        Duration.ofMillis(100), () -> Http.get(p.url(Service.TRAINER, "/jobs/" + big)).json()
            .path("state").asText().equals("FAILED"));

    long t1 = System.nanoTime();
    String small = "f6-small-after";
    p.publisher.publish(FaultJobs.job(small, "f6-memory", 1, 600, 5));
    TrainingCompleted done = p.events.await(TrainingCompleted.class,
        e -> e.jobId().equals(small), Duration.ofMinutes(3));
    assertThat(done.epochs()).isEqualTo(1);
    assertThat(p.events.await(TrainingStarted.class, e -> e.jobId().equals(small),
        Duration.ofSeconds(1)).worker()).as("the same trainer").isEqualTo("f6");
    assertThat(trainer.process().isAlive()).isTrue();
    System.out.printf("e2e-f6: %s completed %d s later on the same trainer; its resident "
        + "memory %.0f MiB%n", small, (System.nanoTime() - t1) / 1_000_000_000L,
        FaultJobs.metric(trainer.url(), "daflow_nd4j_physical_bytes") / (1 << 20));
  }
}
