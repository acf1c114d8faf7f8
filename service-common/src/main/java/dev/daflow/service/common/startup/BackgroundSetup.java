package dev.daflow.service.common.startup;

import dev.daflow.service.common.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service's set-up steps on a thread of its own, in order, each retried with the {@link
 * Backoff} until it works (a step done is not run again), so that the service starts while Kafka
 * or the object store are down and becomes ready when they answer. Meanwhile {@link #problem}
 * says what is missing, for readiness. {@link #close} stops it (shutdown).
 */
public final class BackgroundSetup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundSetup.class);

  /**
   * One step.
   *
   * @param what what it does, for people: {@code create the topics}
   * @param action does it; a failure is retried
   */
  public record Step(String what, Callable<?> action) {
    /** Checks the values. */
    public Step {
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(action, "action");
    }

    /** A step that returns nothing. */
    public static Step of(String what, Action action) {
      return new Step(what, () -> {
        action.run();
        return null;
      });
    }
  }

  /** A step's work when it returns nothing. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private final String name;
  private final Backoff backoff;
  private final List<Step> steps;
  private volatile String problem = "starting";
  private volatile boolean done;
  private volatile boolean stopping;
  private Thread thread;

  /**
   * @param name what is set up, for the thread's name and the logs: {@code daflow-trainer}
   * @param backoff the pauses between tries of a step
   * @param steps what to do, in order
   */
  public BackgroundSetup(String name, Backoff backoff, List<Step> steps) {
    this.name = name;
    this.backoff = backoff;
    this.steps = List.copyOf(steps);
  }

  /** Starts the steps in the background; once only. */
  public synchronized BackgroundSetup start() {
    if (thread != null) {
      throw new IllegalStateException("set-up of " + name + " already started");
    }
    thread = new Thread(this::run, "daflow-setup-" + name);
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler((t, e) -> {
      // Not retried (an Error), but readiness says why it stays DOWN.
      problem = "set-up failed: " + e;
      LOG.error("{}: set-up failed; not ready until a restart", name, e);
    });
    thread.start();
    return this;
  }

  /** Whether every step is done. */
  public boolean done() {
    return done;
  }

  /** What is still missing, for people: the last failure; {@code null} once done. */
  public String problem() {
    return done ? null : problem;
  }

  /** Whether {@link #close} was called. */
  public boolean stopping() {
    return stopping;
  }

  private void run() {
    for (Step step : steps) {
      try {
        // Until it works, or the service stops.
        backoff.retry(Backoff.UNLIMITED, e -> true, () -> stopping,
            (attempt, e, pause) -> failed(step, attempt, e, pause), step.action());
      } catch (Exception e) {
        LOG.debug("{}: set-up stopped at '{}': {}", name, step.what(), e.toString());
        return; // stopping
      }
    }
    done = true;
  }

  private void failed(Step step, int attempt, Exception e, Duration pause) {
    String why = e.getMessage() != null ? e.getMessage() : e.toString();
    problem = "cannot " + step.what() + ": " + why;
    LOG.warn("{}: {} (try {}, again in {} ms; readiness is DOWN until then)", name, problem,
        attempt, pause.toMillis());
  }

  /** Stops the steps (a step running is interrupted); what is done stays done. */
  @Override
  public void close() {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
