package dev.daflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final TopicPartition p1 = new TopicPartition("t", 1);

  @Test
  void commitsOnlyUpToTheOldestRecordInFlight() {
    OffsetTracker t = new OffsetTracker();
    t.started(p0, 5);
    t.started(p0, 6);
    t.started(p0, 7);
    t.done(p0, 6);
    t.done(p0, 7);
    assertThat(t.takeCommittable()).isEmpty();
    assertThat(t.inFlight()).isEqualTo(1);

    t.done(p0, 5);
    assertThat(t.takeCommittable()).containsEntry(p0, new OffsetAndMetadata(8)).hasSize(1);
    assertThat(t.takeCommittable()).isEmpty();
    assertThat(t.inFlight()).isZero();
  }

  @Test
  void partitionsAreIndependentAndForgottenOnesIgnoreLateCompletions() {
    OffsetTracker t = new OffsetTracker();
    t.started(p0, 1);
    t.started(p1, 10);
    t.done(p1, 10);
    t.forget(List.of(p0));
    assertThat(t.done(p0, 1)).isFalse();
    assertThat(t.takeCommittable()).containsOnlyKeys(p1);
    assertThat(t.takeCommittable()).isEmpty();
  }
}
