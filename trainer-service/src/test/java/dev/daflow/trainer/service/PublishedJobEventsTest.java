package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.platform.kafka.EventPublisher.PublishException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link PublishedJobEvents}' ids and progress throttling, and {@link CancelPolling}. */
class PublishedJobEventsTest {
  private final List<String> ids = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private boolean kafkaAway;

  private void publish(DaflowEvent event, String id) {
    if (kafkaAway) {
      throw publishFailed(event);
    }
    ids.add(id);
  }

  /** What the publisher throws when Kafka does not acknowledge (its constructor is its own). */
  private static PublishException publishFailed(DaflowEvent event) {
    try {
      var c = PublishException.class.getDeclaredConstructor(DaflowEvent.class, String.class,
          String.class, Throwable.class);
      c.setAccessible(true);
      return c.newInstance(event, "daflow.training", "timed out", null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static TrainingProgress progress(long iteration) {
    return new TrainingProgress("job-1", 0, 2, (int) iteration, 10, iteration, "adapt",
        Map.of("label", 0.5), 0.1, 0.01, 100);
  }

  @Test
  void eventsCarryTheirDeterministicIds() {
    PublishedJobEvents events = new PublishedJobEvents(this::publish, 5, nanos::get);
    events.rejected(new TrainingRejected("job-1", "conflict", List.of("x")), "req-1");
    events.cancelled(new TrainingCancelled("job-1", 3), "req-1");
    assertThat(ids).containsExactly(
        EventIds.of(EventType.TRAINING_REJECTED, "job-1", "req-1"),
        EventIds.of(EventType.TRAINING_CANCELLED, "job-1", "req-1"));
  }

  @Test
  void progressIsPublishedEveryFewIterationsAndPausedAfterAFailure() {
    PublishedJobEvents events = new PublishedJobEvents(this::publish, 5, nanos::get);
    List<Long> published = new ArrayList<>();
    for (long i = 0; i < 12; i++) {
      if (events.progress(progress(i))) {
        published.add(i);
      }
    }
    assertThat(published).containsExactly(0L, 5L, 10L);
    assertThat(ids).last().isEqualTo(EventIds.of(EventType.TRAINING_PROGRESS, "job-1", 10L));

    // Kafka away: the failure is not thrown, and progress pauses for the back-off.
    kafkaAway = true;
    assertThat(events.progress(progress(15))).isFalse();
    kafkaAway = false;
    assertThat(events.progress(progress(20))).as("still paused").isFalse();
    nanos.addAndGet(PublishedJobEvents.PROGRESS_BACKOFF.toNanos());
    assertThat(events.progress(progress(25))).isTrue();
  }

  @Test
  void theCancelFlagIsReadOnlyWhenAPollIsDueAndUnreadableRecordsAreSkipped() {
    List<String> reads = new ArrayList<>();
    boolean[] fail = {false};
    CancelPolling polling = new CancelPolling(jobId -> {
      reads.add(jobId);
      if (fail[0]) {
        throw new IllegalStateException("store away");
      }
      return Optional.of(new JobRecord(jobId, "m", null, "req-1", JobState.RUNNING, "a",
          "lenet", null, 2, true, null, null, null, null, null, null, null));
    }, "job-1", Duration.ofSeconds(5), nanos::get);

    assertThat(polling.cancelRequested()).as("not due yet").isFalse();
    assertThat(reads).isEmpty();
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    fail[0] = true;
    assertThat(polling.cancelRequested()).as("unreadable: tried again later").isFalse();
    fail[0] = false;
    assertThat(polling.cancelRequested()).as("the next poll is 5 s later").isFalse();
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(polling.cancelRequested()).isTrue();
    assertThat(reads).hasSize(2);
  }
}
