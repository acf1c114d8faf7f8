package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessedEventsTest {

  @Test
  void remembersTheLastIdsUpToItsCapacity() {
    ProcessedEvents seen = new ProcessedEvents(2);
    assertThat(seen.isProcessed("a")).isFalse();
    seen.markProcessed("a");
    seen.markProcessed("b");
    assertThat(seen.isProcessed("a")).isTrue();
    seen.markProcessed("c");
    assertThat(seen.size()).isEqualTo(2);
    assertThat(seen.isProcessed("a")).as("the oldest, forgotten").isFalse();
    assertThat(seen.isProcessed("b")).isTrue();
    assertThat(seen.isProcessed("c")).isTrue();
  }

  @Test
  void needsRoomForOneId() {
    assertThatThrownBy(() -> new ProcessedEvents(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be >= 1, got 0");
  }
}
