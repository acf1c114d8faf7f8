package dev.daflow.inference.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching, the idea of Triton Inference Server's dynamic batcher: concurrent requests
 * for the same model are gathered, for at most {@code max-delay}, into one forward pass of at
 * most {@code max-batch} pictures, and each caller gets exactly its own rows back. A forward pass
 * of a few pictures costs little more than one of a single picture, so concurrent single pictures
 * approach the throughput of batches.
 *
 * <p>Every forward pass of a lane (a model name) runs on the lane's one thread, {@code
 * forward-<name>}, started with the lane's first pass and ended by {@link #close}, batched or
 * not: SameDiff keeps an inference session per calling thread (its array cache included, never
 * dropped when the thread ends), so passes on whichever request thread came first left one
 * session per worker thread, cold caches and memory that grew with the HTTP pool's turnover. A
 * request is first prepared (decoded, checked and preprocessed)
 * on its caller's thread, announced by {@link #arrive}: a bad request fails there, alone, and
 * never joins a batch. It then joins the newest batch of its model's lane if that batch is for the
 * same model instance (a swapped-in version starts a new batch) and has room; otherwise it opens a
 * new batch and becomes its leader. The leader hands the batch to the lane's thread once the batch is
 * the oldest of the lane, the lane's previous batch has finished, and one of these holds: the
 * batch is full, a newer batch exists, {@code max-delay} has passed since the batch opened, no
 * other request of the lane is being prepared (nobody else can join soon, so a lone client never
 * waits for the window), or the batcher was closed. When a pass ends and the next batch may
 * already start, the lane's thread claims and runs it at once, without waking its leader to hand
 * it over. The leader and the members wait for their rows. A failed
 * forward pass fails every member of that batch only.
 *
 * @param <M> the model a batch runs on; requests join a batch only with the same instance
 */
public final class DynamicBatcher<M> implements AutoCloseable {

  /** A forward pass: {@code pictures} preprocessed pictures in, their output rows out. */
  @FunctionalInterface
  public interface Forward<M> {
    /**
     * @param input the pictures' values, one picture after the other
     * @return the outputs, the same number of values per picture, one picture after the other
     */
    float[] run(M model, float[] input, int pictures);
  }

  /** Observes batches, for metrics; called outside the batcher's locks. */
  public interface Listener {
    /** A batch ran (or failed) after its requests waited {@code waits}, one per request. */
    void batch(String lane, int requests, int pictures, Duration[] waits);

    /** Observes nothing. */
    Listener NONE = (lane, requests, pictures, waits) -> {};
  }

  private final Forward<M> forward;
  private final boolean enabled;
  private final long maxDelayNanos;
  private final int maxBatch;
  private final Listener listener;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param forward runs one batch
   * @param enabled false: every request runs on its own, at once
   * @param maxDelay the longest a batch waits for more requests once it could run
   * @param maxBatch most pictures per batch; a larger request runs alone
   * @param listener told of every batch
   */
  public DynamicBatcher(Forward<M> forward, boolean enabled, Duration maxDelay, int maxBatch,
      Listener listener) {
    if (maxBatch < 1 || maxDelay.isNegative()) {
      throw new IllegalArgumentException("max-batch must be >= 1 and max-delay >= 0, got "
          + maxBatch + " and " + maxDelay);
    }
    this.forward = forward;
    this.enabled = enabled;
    this.maxDelayNanos = maxDelay.toNanos();
    this.maxBatch = maxBatch;
    this.listener = listener;
  }

  /** Whether requests are batched (false when disabled or closed). */
  public boolean batching() {
    return enabled && !closed;
  }

  /**
   * Announces a request for {@code lane} (a model name) that is about to be prepared: while it
   * is, a batch of the lane may wait for it. Close the arrival when done, whether it ran or not.
   */
  public Arrival arrive(String lane) {
    if (!batching()) {
      return new Arrival(lane, null);
    }
    Lane l = lanes.computeIfAbsent(lane, Lane::new);
    l.lock.lock();
    try {
      l.preparing++;
    } finally {
      l.lock.unlock();
    }
    return new Arrival(lane, l);
  }

  /**
   * Stops batching: batches waiting for more requests run at once, and later requests run on
   * their own, on their callers' threads. Requests in flight complete normally; the lanes'
   * threads end once their passes have (waiting at most 10 s).
   */
  @Override
  public void close() {
    closed = true;
    for (Lane l : lanes.values()) {
      l.lock.lock();
      try {
        l.changed.signalAll();
      } finally {
        l.lock.unlock();
      }
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Lane l : lanes.values()) {
      l.thread.shutdown();
      try {
        // A terminated executor's thread may still be exiting: wait for the thread itself.
        l.thread.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        Thread worker = l.worker;
        if (worker != null) {
          worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many batches of a lane its thread started right after a pass, without a hand-over. */
  int chained(String lane) {
    return counted(lane, l -> l.chained);
  }

  /**
   * Requests of {@code lane} that have joined a batch and have no answer yet: what a test waits
   * for before it lets a held forward pass go.
   */
  int joined(String lane) {
    return counted(lane, l -> l.joined);
  }

  /** A count of a lane read under its lock (0 for a lane not started). */
  private int counted(String lane, java.util.function.ToIntFunction<Lane> count) {
    Lane l = lanes.get(lane);
    if (l == null) {
      return 0;
    }
    l.lock.lock();
    try {
      return count.applyAsInt(l);
    } finally {
      l.lock.unlock();
    }
  }

  /** A request announced by {@link #arrive}; {@link #run} at most once. */
  public final class Arrival implements AutoCloseable {
    private final String name;
    private final Lane lane;
    private boolean preparing;

    private Arrival(String name, Lane lane) {
      this.name = name;
      this.lane = lane;
      this.preparing = lane != null;
    }

    /**
     * Runs the prepared pictures, batched with other requests of the lane for the same model.
     *
     * @param model the model instance to run on
     * @param input {@code pictures} preprocessed pictures, one after the other
     * @return this request's output rows
     * @throws IllegalStateException if the forward pass of its batch failed (every member of
     *     that batch gets one)
     */
    public float[] run(M model, float[] input, int pictures) {
      if (pictures < 1 || input.length % pictures != 0) {
        throw new IllegalArgumentException(input.length + " values are not " + pictures
            + " pictures of equal size");
      }
      if (lane == null || closed) {
        release();
        Lane own = closed ? null : lanes.computeIfAbsent(name, Lane::new);
        try {
          return own == null ? forward.run(model, input, pictures)
              : own.alone(model, input, pictures);
        } finally {
          listener.batch(name, 1, pictures, new Duration[] {Duration.ZERO});
        }
      }
      return lane.run(this, model, input, pictures);
    }

    /** Withdraws the announcement if the request never ran (it failed while being prepared). */
    @Override
    public void close() {
      release();
    }

    private void release() {
      if (preparing) {
        preparing = false;
        lane.lock.lock();
        try {
          lane.preparing--;
          lane.changed.signalAll();
        } finally {
          lane.lock.unlock();
        }
      }
    }
  }

  /** The batches of one model name; its lock guards every field and every batch of it. */
  private final class Lane {
    final String name;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a request joins or withdraws, a batch finishes, or the batcher closes. */
    final Condition changed = lock.newCondition();
    /** Batches not started yet, oldest first; requests join only the newest. */
    final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    /** Requests announced and not yet joined or withdrawn. */
    int preparing;
    /** Whether a batch of this lane is in its forward pass. */
    boolean running;
    /** Requests joined to a batch and not answered yet. */
    int joined;
    /** Batches this lane's thread claimed itself right after a pass. */
    int chained;
    /** Runs every forward pass of the lane: one thread, so one inference session per model. */
    final ExecutorService thread;
    /** The executor's thread once started, so that {@link #close} can wait for it to end. */
    volatile Thread worker;

    Lane(String name) {
      this.name = name;
      this.thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "forward-" + name);
        t.setDaemon(true);
        worker = t;
        return t;
      });
    }

    /** Whether {@code task} was handed to the lane's thread (false once the batcher closed). */
    private boolean handOver(Runnable task) {
      if (closed) {
        return false;
      }
      try {
        thread.execute(task);
        return true;
      } catch (RejectedExecutionException e) {
        return false; // closed meanwhile
      }
    }

    /** One request's pass on the lane's thread, not batched (batching disabled). */
    float[] alone(M model, float[] input, int pictures) {
      Future<float[]> pass;
      try {
        pass = closed ? null : thread.submit(() -> forward.run(model, input, pictures));
      } catch (RejectedExecutionException e) {
        pass = null;
      }
      if (pass == null) {
        return forward.run(model, input, pictures);
      }
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return pass.get();
          } catch (InterruptedException e) {
            interrupted = true; // the pass runs anyway: wait for it, then tell
          } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
              throw r;
            }
            if (e.getCause() instanceof Error err) {
              throw err;
            }
            throw new IllegalStateException(e.getCause());
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    float[] run(Arrival arrival, M model, float[] input, int pictures) {
      Batch batch;
      Member me;
      boolean leader;
      boolean reports = false;
      boolean interrupted = false;
      lock.lock();
      try {
        arrival.preparing = false;
        preparing--;
        batch = waiting.peekLast();
        int size = input.length / pictures;
        leader = batch == null || batch.model != model || batch.size != size
            || batch.pictures + pictures > maxBatch;
        if (leader) {
          batch = new Batch(model, size, System.nanoTime());
          waiting.addLast(batch);
        }
        me = batch.join(input, pictures);
        joined++;
        changed.signalAll();
        if (leader) {
          // The lane's thread may start the batch itself when its previous pass ends.
          while (!batch.claimed && !mayStart(batch)) {
            try {
              long left = batch.opened + maxDelayNanos - System.nanoTime();
              if (waiting.peekFirst() == batch && !running && left > 0) {
                changed.awaitNanos(left);
              } else {
                changed.await();
              }
            } catch (InterruptedException e) {
              interrupted = true; // the members depend on this thread: finish, then tell
            }
          }
          if (batch.claimed) {
            leader = false; // started by the lane's thread: only the report is left to do
            reports = true;
          } else {
            claim(batch);
          }
        }
      } finally {
        lock.unlock();
      }
      final Batch started = batch;
      if (leader && !handOver(() -> executeAndChain(started))) {
        execute(batch);
      }
      lock.lock();
      try {
        while (!batch.done) {
          batch.finished.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
      if (leader || reports) {
        report(batch);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return batch.rows(me);
    }

    /** Whether the leader of {@code batch} may start it (the lane's lock held). */
    private boolean mayStart(Batch batch) {
      if (waiting.peekFirst() != batch || running) {
        return false;
      }
      return batch.pictures >= maxBatch || waiting.peekLast() != batch || preparing == 0
          || closed || System.nanoTime() - batch.opened >= maxDelayNanos;
    }

    /** Takes {@code batch} off the queue as the one running (the lane's lock held). */
    private void claim(Batch batch) {
      waiting.removeFirst();
      running = true;
      batch.claimed = true;
    }

    /**
     * On the lane's thread: runs {@code batch}, then, while the next waiting batch may start at
     * once, that one too, claimed in the same hold of the lock that ends the pass, without waking
     * its leader first to hand it over: a busy lane's thread goes from one pass to the next as a
     * closed loop would (a hand-over was two thread wake-ups between passes). A batch still
     * within its window stays with its leader, which wakes when its window ends.
     */
    private void executeAndChain(Batch batch) {
      for (Batch next = batch; next != null; ) {
        next = execute(next, true);
      }
    }

    private void execute(Batch batch) {
      execute(batch, false);
    }

    /**
     * Runs one forward pass and hands each member its rows or the failure.
     *
     * @param chain whether to claim the next batch that may start at once
     * @return the batch claimed to run next on this thread, or null
     */
    private Batch execute(Batch batch, boolean chain) {
      long start = System.nanoTime();
      Batch next = null;
      float[] out = null;
      RuntimeException failure = null;
      try {
        out = forward.run(batch.model, batch.input(), batch.pictures);
        if (out == null || out.length % batch.pictures != 0) {
          throw new IllegalStateException("the model returned "
              + (out == null ? "nothing" : out.length + " values") + " for " + batch.pictures
              + " pictures");
        }
      } catch (RuntimeException | Error e) {
        failure = new IllegalStateException("the forward pass of a batch of " + batch.pictures
            + " pictures (" + batch.members.size() + " requests) failed: " + e, e);
      } finally {
        lock.lock();
        try {
          batch.started = start;
          batch.finish(out, failure);
          joined -= batch.members.size();
          running = false;
          Batch first = waiting.peekFirst();
          if (chain && first != null && !closed && mayStart(first)) {
            claim(first);
            chained++;
            next = first;
          }
          batch.finished.signalAll();
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      return next;
    }

    /** Tells the listener of a finished batch (on its leader's thread, outside the lock). */
    private void report(Batch batch) {
      Duration[] waits = new Duration[batch.members.size()];
      for (int i = 0; i < waits.length; i++) {
        waits[i] = Duration.ofNanos(batch.started - batch.members.get(i).joined);
      }
      listener.batch(name, waits.length, batch.pictures, waits);
    }

    /** Requests for one model instance, run in one forward pass. */
    private final class Batch {
      final M model;
      /** Values per picture. */
      final int size;
      final long opened;
      final List<Member> members = new ArrayList<>();
      final Condition finished = lock.newCondition();
      int pictures;
      /** Taken off the queue to run (by its leader or by the lane's thread). */
      boolean claimed;
      boolean done;
      /** When its forward pass started ({@link System#nanoTime}). */
      long started;
      float[] outputs;
      RuntimeException failure;

      Batch(M model, int size, long opened) {
        this.model = model;
        this.size = size;
        this.opened = opened;
      }

      Member join(float[] input, int count) {
        Member m = new Member(input, pictures, count, System.nanoTime());
        members.add(m);
        pictures += count;
        return m;
      }

      /** The members' pictures, one after the other (no copy for a batch of one). */
      float[] input() {
        if (members.size() == 1) {
          return members.get(0).input;
        }
        float[] all = new float[pictures * size];
        for (Member m : members) {
          System.arraycopy(m.input, 0, all, m.offset * size, m.input.length);
        }
        return all;
      }

      void finish(float[] out, RuntimeException error) {
        outputs = out;
        failure = error;
        done = true;
      }

      /** A member's own rows, or its batch's failure. */
      float[] rows(Member m) {
        if (failure != null) {
          // Each member its own exception: they are thrown on different threads.
          throw new IllegalStateException(failure.getMessage(), failure.getCause());
        }
        if (members.size() == 1) {
          return outputs;
        }
        int width = outputs.length / pictures;
        return Arrays.copyOfRange(outputs, m.offset * width, (m.offset + m.pictures) * width);
      }
    }
  }

  /** One request in a batch: its pictures start at picture {@code offset} of the batch. */
  private record Member(float[] input, int offset, int pictures, long joined) {}
}
