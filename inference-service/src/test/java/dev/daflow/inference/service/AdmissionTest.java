package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Turns are bounded, given back once, and a request without one is refused in time. */
class AdmissionTest {

  @Test
  void refusesWhenEveryTurnIsTakenForTheTimeout() {
    Admission a = new Admission(2, Duration.ofMillis(50));
    Admission.Turn t1 = a.enter();
    Admission.Turn t2 = a.enter();
    long start = System.nanoTime();
    assertThatThrownBy(a::enter)
        .isInstanceOf(InferenceException.Overloaded.class)
        .hasMessageContaining("all 2 inference slots");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    t1.close();
    t1.close(); // a second close gives nothing back
    assertThat(a.available()).isEqualTo(1);
    try (Admission.Turn t3 = a.enter()) {
      assertThat(a.available()).isZero();
    }
    t2.close();
    assertThat(a.available()).isEqualTo(2);
  }

  @Test
  void aWaitingRequestGetsTheNextFreeTurn() throws Exception {
    Admission a = new Admission(1, Duration.ofSeconds(5));
    Admission.Turn held = a.enter();
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException ignored) {
        // test thread
      }
      held.close();
    });
    releaser.start();
    try (Admission.Turn t = a.enter()) {
      assertThat(a.available()).isZero();
    }
    releaser.join();
  }
}
