package dev.daflow.inference.service;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the requests decoded and predicted at once: a fair semaphore of {@code max-concurrent}
 * turns. A request that gets no turn within {@code queue-timeout} is refused ({@link
 * InferenceException.Overloaded}, answered 429 with {@code Retry-After}) rather than left to wait
 * without end.
 */
public final class Admission {
  private final Semaphore turns;
  private final int size;
  private final Duration timeout;

  public Admission(int maxConcurrent, Duration queueTimeout) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("max-concurrent must be >= 1, got " + maxConcurrent);
    }
    this.turns = new Semaphore(maxConcurrent, true);
    this.size = maxConcurrent;
    this.timeout = queueTimeout;
  }

  /**
   * Waits for a turn, at most the queue timeout.
   *
   * @return the turn, to close when done
   * @throws InferenceException.Overloaded if none came in time (or the thread was interrupted)
   */
  public Turn enter() {
    boolean got;
    try {
      got = turns.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      got = false;
    }
    if (!got) {
      throw new InferenceException.Overloaded("the server is busy: all " + size
          + " inference slots stayed taken for " + timeout.toMillis() + " ms; retry later");
    }
    return new Turn();
  }

  /** Turns free now. */
  public int available() {
    return turns.availablePermits();
  }

  /** A held turn; closing it (once) gives it back. */
  public final class Turn implements AutoCloseable {
    private final AtomicBoolean open = new AtomicBoolean(true);

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        turns.release();
      }
    }
  }
}
