package dev.daflow.ml.train;

import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a running training loop to stop at the next step. Thread-safe. */
public final class CancellationToken {
  private final AtomicBoolean cancelled = new AtomicBoolean();

  public void cancel() {
    cancelled.set(true);
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  /** A token nobody cancels. */
  public static CancellationToken none() {
    return new CancellationToken();
  }
}
