package dev.daflow.service.common.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The one back-off policy of the services: how long to wait before trying again what failed (a
 * dependency that is down, a store that does not answer). The pause before try {@code n + 1}
 * is {@code first * factor^(n-1)}, capped at {@code max}, shortened at random by up to {@code
 * jitter} of itself so that replicas do not retry in step. {@link #retry} calls a piece of work
 * until it works, gives up after some tries, or stops when a stop condition turns true; {@link
 * #pause} is the interruptible wait it uses.
 *
 * <p>The services' default is {@link #DEFAULT}, which {@code daflow.retry.*} overrides (service
 * common's {@code CommonConfig}); the CDI bean of this type is that policy.
 *
 * @param first the pause after the first failure
 * @param max the longest pause
 * @param factor how much each pause grows over the one before (1: fixed pauses)
 * @param jitter fraction of a pause taken off at random, from 0 (none) to 1
 */
public record Backoff(Duration first, Duration max, double factor, double jitter) {

  /** 1 s, doubling up to 30 s, no jitter: the default of every service. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30),
      2.0, 0.0);

  /** {@link #retry}'s {@code attempts} for "until it works or stops". */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** How long {@link #pause} sleeps at most before it looks at its stop condition again. */
  static final Duration STOP_CHECK = Duration.ofMillis(100);

  /** Checks the values. */
  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("back-off delays must be 0 <= first <= max, got first "
          + first + ", max " + max);
    }
    if (!(factor >= 1.0)) {
      throw new IllegalArgumentException("back-off factor must be >= 1, got " + factor);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("back-off jitter must be in [0, 1], got " + jitter);
    }
  }

  /** Fixed pauses of {@code delay}. */
  public static Backoff fixed(Duration delay) {
    return new Backoff(delay, delay, 1.0, 0.0);
  }

  /** This policy with another first pause (the cap grows to it if needed). */
  public Backoff withFirst(Duration delay) {
    return new Backoff(delay, max.compareTo(delay) < 0 ? delay : max, factor, jitter);
  }

  /** This policy with another longest pause. */
  public Backoff withMax(Duration delay) {
    return new Backoff(first.compareTo(delay) > 0 ? delay : first, delay, factor, jitter);
  }

  /**
   * The pause after failed try {@code attempt} (1 for the first), before jitter: {@code first *
   * factor^(attempt-1)}, at most {@code max}.
   */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    double nanos = first.toNanos() * Math.pow(factor, attempt - 1);
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }

  /** {@link #delay}, less a random part of up to {@code jitter} of it. */
  public Duration jittered(int attempt) {
    Duration d = delay(attempt);
    if (jitter == 0.0 || d.isZero()) {
      return d;
    }
    double keep = 1.0 - jitter * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (d.toNanos() * keep));
  }

  /**
   * Waits {@code pause}, looking at {@code stop} every {@link #STOP_CHECK}.
   *
   * @return true when the whole pause went by; false when {@code stop} turned true or the thread
   *     was interrupted (its interrupt flag is set again)
   */
  public static boolean pause(Duration pause, BooleanSupplier stop) {
    long until = System.nanoTime() + pause.toNanos();
    while (!stop.getAsBoolean()) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(left, STOP_CHECK.toNanos()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Told of each failure that is about to be tried again, for a log line or readiness. */
  @FunctionalInterface
  public interface OnRetry {
    /**
     * @param attempt the try that failed, from 1
     * @param failure why
     * @param pause the wait before the next try
     */
    void failed(int attempt, Exception failure, Duration pause);
  }

  /**
   * Calls {@code work} until it returns. A failure {@code retryable} accepts is waited out
   * ({@link #jittered} pause, told to {@code onRetry} first) and tried again; the last failure is
   * thrown when it is not retryable, when {@code attempts} tries failed, or when {@code stop}
   * turned true or the thread was interrupted (before a try or while waiting; the interrupt flag
   * stays set).
   *
   * @param attempts tries in all, from 1; {@link #UNLIMITED} for "until it works or stops"
   * @param retryable which failures are worth another try (e.g. a store that does not answer)
   * @param stop when true, no more tries: the service shuts down, the job is stopped...
   * @return what {@code work} returned
   * @throws Exception the failure it gave up on
   */
  public <T> T retry(int attempts, Predicate<? super Exception> retryable, BooleanSupplier stop,
      OnRetry onRetry, Callable<T> work) throws Exception {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return work.call();
      } catch (Exception e) {
        if (!retryable.test(e) || attempt >= attempts || stop.getAsBoolean()) {
          throw e;
        }
        Duration pause = jittered(attempt);
        onRetry.failed(attempt, e, pause);
        if (!pause(pause, stop)) {
          throw e;
        }
      }
    }
  }

  /** Accepts failures of these classes (and their subclasses): the transient ones of a call. */
  @SafeVarargs
  public static Predicate<Exception> anyOf(Class<? extends Exception>... transientFailures) {
    return e -> {
      for (Class<? extends Exception> c : transientFailures) {
        if (c.isInstance(e)) {
          return true;
        }
      }
      return false;
    };
  }
}
