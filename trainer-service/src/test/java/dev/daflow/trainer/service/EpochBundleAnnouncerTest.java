package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.TrainingRequested;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link EpochBundleAnnouncer}: the job record takes an epoch before its {@code
 * epoch-bundle.saved} is published, so a trainer killed between the two writes loses neither the epoch (the next run
 * resumes after it) nor its announcement (the next run publishes it again, under the same id).
 */
class EpochBundleAnnouncerTest {
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
  private static final String JOB = "job-1";

  /** Every write, in order: {@code record epoch N} and {@code publish ID}. */
  private final List<String> writes = new ArrayList<>();
  private final List<Published> published = new ArrayList<>();
  private JobRecord stored = running();

  private record Published(DaflowEvent event, String id) {}

  private static JobRecord running() {
    TrainingRequested r = new TrainingRequested(JOB, null, "dann", "mnist", "usps", null, 3, 64,
        null, null, "none", 7, 600);
    return new JobRecord(JOB, "dann-mnist-usps", r, "req-1", JobState.RUNNING, "trainer-a",
        "lenet", null, 3, false, null, null, T0, T0, T0, null, null);
  }

  private static EpochBundleSaved saved(int epoch) {
    return new EpochBundleSaved(JOB, "dann-mnist-usps", epoch, "adapt", "mnist", "usps",
        "checkpoints/job-1/epoch-000" + epoch + ".bundle", "ab".repeat(32),
        Map.of("label", 0.5, "domain", 0.69), 12.5, 900);
  }

  private JobRecord update(String jobId, UnaryOperator<JobRecord> change) {
    assertThat(jobId).isEqualTo(JOB);
    stored = change.apply(stored);
    writes.add("record epoch " + stored.epoch());
    return stored;
  }

  private void publish(DaflowEvent event, String id) {
    published.add(new Published(event, id));
    writes.add("publish " + id);
  }

  /** A trainer killed (SIGKILL) as it was about to publish: nothing reaches Kafka. */
  private static void killed(DaflowEvent event, String id) {
    throw new IllegalStateException("killed before publishing " + id);
  }

  /** An announcer that publishes with the service's ids through {@code sink}. */
  private EpochBundleAnnouncer announcer(PublishedJobEvents.Sink sink) {
    return new EpochBundleAnnouncer(this::update,
        new PublishedJobEvents(sink, 1, System::nanoTime)::epochBundleSaved, CLOCK);
  }

  private static String id(int epoch) {
    return EventIds.of(EventType.EPOCH_BUNDLE_SAVED, JOB, epoch);
  }

  @Test
  void theRecordTakesTheEpochBeforeItsAnnouncementIsPublished() {
    EpochBundleAnnouncer announcer = announcer(this::publish);
    JobRecord record = announcer.announce(saved(0));
    announcer.announce(saved(1));

    assertThat(writes).containsExactly("record epoch 0", "publish " + id(0),
        "record epoch 1", "publish " + id(1));
    assertThat(published).containsExactly(new Published(saved(0), id(0)),
        new Published(saved(1), id(1)));
    assertThat(record.epoch()).isZero();
    assertThat(record.checkpoint()).isEqualTo(saved(0));
    assertThat(record.updatedAt()).isEqualTo(CLOCK.instant());
    assertThat(stored.epoch()).isEqualTo(1);
    assertThat(stored.checkpoint().bundleKey())
        .isEqualTo("checkpoints/job-1/epoch-0001.bundle");
  }

  @Test
  void aKillBetweenTheTwoWritesLosesNeitherTheEpochNorItsAnnouncement() {
    announcer(this::publish).announce(saved(0));
    EpochBundleAnnouncer dying = announcer(EpochBundleAnnouncerTest::killed);
    assertThatThrownBy(() -> dying.announce(saved(1))).hasMessageContaining("killed");

    // The record has epoch 1: the next run resumes at epoch 2 instead of training 1 again.
    assertThat(stored.epoch()).isEqualTo(1);
    assertThat(stored.checkpoint()).isEqualTo(saved(1));
    assertThat(published).extracting(Published::id).containsExactly(id(0));

    // The next run (another trainer, from the stored record) announces epoch 1 after all, under
    // the id the killed run would have used, so consumers that saw it drop the copy.
    JobRecord fromStore = JobRecords.read(JobRecords.toJson(stored), "test");
    EpochBundleAnnouncer next = announcer(this::publish);
    assertThat(next.reannounce(fromStore)).isTrue();
    assertThat(published).containsExactly(new Published(saved(0), id(0)),
        new Published(saved(1), id(1)));
  }

  @Test
  void aRecordWithoutACheckpointHasNothingToAnnounceAgain() {
    EpochBundleAnnouncer announcer = announcer(this::publish);
    assertThat(announcer.reannounce(running())).isFalse();
    assertThat(announcer.reannounce(null)).isFalse();
    assertThat(published).isEmpty();
    assertThat(PublishedJobEvents.epochBundleId(saved(3))).isEqualTo(id(3));
  }
}
