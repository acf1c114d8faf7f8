package dev.daflow.ml.train;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Double buffering of one epoch's batches: while step {@code i} runs on the trainer's thread, a
 * daemon thread assembles the batch of step {@code i + 1} into the other buffer set ({@link
 * Phase#prepare}, slot {@code i % 2}). Batches are assembled one at a time and in step order, by
 * the same code as without prefetching, so they are bit-identical to unprefetched ones; since
 * samplers live for one epoch and the prefetcher too, nothing prefetched ever reaches a
 * checkpoint. A failure while assembling a batch is thrown on the trainer's thread when it takes
 * that batch, as the exception itself (unchecked) or wrapped with it as cause; {@link #close}
 * cancels a batch under way and waits for the thread to end, so no thread outlives the epoch and
 * none writes a buffer set the next epoch uses.
 */
final class Prefetcher implements AutoCloseable {
  /** How long {@link #close} waits for a batch under way to finish. */
  private static final long CLOSE_WAIT_SECONDS = 30;
  private final IntFunction<Phase.Batch> assemble;
  private final int steps;
  /** Null when batches are assembled on the caller's thread. */
  private final ExecutorService thread;
  private Future<Phase.Batch> next;
  private int nextStep;

  /**
   * @param assemble the batch of a step (0-based within the epoch) into slot {@code step % 2}
   * @param steps steps of the epoch
   * @param background whether to assemble on a background thread (else on the caller's)
   */
  Prefetcher(IntFunction<Phase.Batch> assemble, int steps, boolean background) {
    this.assemble = assemble;
    this.steps = steps;
    this.thread = background ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "daflow-batch-prefetch");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /**
   * The batch of {@code step}; steps must be taken in order 0, 1, 2, ... The previous step must
   * be done with its batch: the one after {@code step} is then assembled into its buffer set.
   */
  Phase.Batch take(int step) {
    if (thread == null) {
      return assemble.apply(step);
    }
    if (step != nextStep) {
      throw new IllegalStateException("batch of step " + step + " taken, expected " + nextStep);
    }
    if (next == null) {
      next = submit(step);
    }
    Phase.Batch batch = await(next, step);
    nextStep = step + 1;
    next = nextStep < steps ? submit(nextStep) : null;
    return batch;
  }

  private Future<Phase.Batch> submit(int step) {
    return thread.submit(() -> assemble.apply(step));
  }

  private static Phase.Batch await(Future<Phase.Batch> f, int step) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new IllegalStateException("interrupted while waiting for the batch of step " + step, e);
    } catch (CancellationException e) {
      throw new IllegalStateException("the batch of step " + step + " was cancelled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("assembling the batch of step " + step + " failed: "
          + cause, cause);
    }
  }

  /** Cancels a batch under way and ends the thread, waiting for it. */
  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    if (next != null) {
      next.cancel(true);
      next = null;
    }
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the batch prefetch thread did not end within "
            + CLOSE_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
