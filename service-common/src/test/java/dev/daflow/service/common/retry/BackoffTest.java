package dev.daflow.service.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pauses, their cap, the stop condition and the retry of a call. */
class BackoffTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4), 2,
      0);

  @Test
  void pausesGrowByTheFactorUpToTheCap() {
    Backoff b = Backoff.DEFAULT;
    assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.fixed(Duration.ofSeconds(5)).delay(7)).isEqualTo(Duration.ofSeconds(5));
    assertThat(b.withFirst(Duration.ofSeconds(2)).withMax(Duration.ofSeconds(60)).delay(6))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitterOnlyShortensAPause() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, 0.5);
    for (int i = 0; i < 100; i++) {
      assertThat(b.jittered(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }
  }

  @Test
  void refusesValuesThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("0 <= first <= max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
        .hasMessageContaining("factor must be >= 1");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 2))
        .hasMessageContaining("jitter must be in [0, 1]");
    assertThatThrownBy(() -> Backoff.DEFAULT.delay(0)).hasMessageContaining("from 1");
  }

  @Test
  void retriesUntilItWorksAndTellsEachFailure() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> told = new CopyOnWriteArrayList<>();
    String result = FAST.retry(Backoff.UNLIMITED, e -> true, () -> false,
        (attempt, e, pause) -> told.add(attempt + ":" + e.getMessage() + ":" + pause.toMillis()),
        () -> {
          if (calls.incrementAndGet() < 4) {
            throw new IOException("down " + calls.get());
          }
          return "up";
        });
    assertThat(result).isEqualTo("up");
    assertThat(told).containsExactly("1:down 1:1", "2:down 2:2", "3:down 3:4");
  }

  @Test
  void givesUpAfterTheAttemptsOrOnAFailureThatIsNotTransient() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> FAST.retry(3, Backoff.anyOf(IOException.class), () -> false,
        (a, e, p) -> {}, () -> {
          throw new IOException("down " + calls.incrementAndGet());
        })).isInstanceOf(IOException.class).hasMessage("down 3");

    calls.set(0);
    assertThatThrownBy(() -> FAST.retry(3, Backoff.anyOf(IOException.class), () -> false,
        (a, e, p) -> {}, () -> {
          calls.incrementAndGet();
          throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void stopsWaitingWhenTheStopConditionTurnsTrue() {
    // An hour's pause; the stop condition ends it at once and the last failure is thrown.
    Backoff slow = Backoff.fixed(Duration.ofHours(1));
    AtomicBoolean stop = new AtomicBoolean();
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.retry(Backoff.UNLIMITED, e -> true, stop::get,
        (a, e, p) -> stop.set(true), () -> {
          throw new IOException("down");
        })).isInstanceOf(IOException.class).hasMessage("down");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(Backoff.pause(Duration.ofHours(1), () -> true)).isFalse();
    assertThat(Backoff.pause(Duration.ofMillis(1), () -> false)).isTrue();
  }

  @Test
  void anInterruptEndsThePauseAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThat(Backoff.pause(Duration.ofHours(1), () -> false)).isFalse();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
