package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher with a fake model whose output row for a picture is {@code [model id, sum of the
 * picture's values]}: who ran in which forward pass, and whether each caller got its own rows.
 * The windows are long (seconds) where a test relies on the batcher not waiting for them, so a
 * wrong wait shows as a slow test and a failed time bound rather than as a flaky count.
 */
class DynamicBatcherTest {
  /** A model instance; batches never mix two. */
  record Fake(int id) {}

  /** One forward pass as the listener saw it. */
  record Pass(String lane, int requests, int pictures) {}

  private final List<Pass> passes = new CopyOnWriteArrayList<>();
  private final List<Integer> forwardModels = new CopyOnWriteArrayList<>();
  /** The thread of every forward pass. */
  private final List<Thread> forwardThreads = new CopyOnWriteArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r);
    t.setName("test-caller-" + t.getId());
    return t;
  });

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private DynamicBatcher<Fake> batcher(Duration maxDelay, int maxBatch) {
    return new DynamicBatcher<>(this::forward, true, maxDelay, maxBatch,
        (lane, requests, pictures, waits) -> {
          assertThat(waits).hasSize(requests)
              .allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ZERO));
          passes.add(new Pass(lane, requests, pictures));
        });
  }

  /** While set, a pass of model 9 waits for it. */
  private volatile CountDownLatch gate;

  private float[] forward(Fake model, float[] input, int pictures) {
    forwardModels.add(model.id());
    forwardThreads.add(Thread.currentThread());
    CountDownLatch g = gate;
    if (model.id() == 9 && g != null) {
      try {
        assertThat(g.await(10, TimeUnit.SECONDS)).as("gate opened").isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    if (model.id() < 0) {
      throw new IllegalStateException("broken model " + model.id());
    }
    int size = input.length / pictures;
    float[] out = new float[pictures * 2];
    for (int p = 0; p < pictures; p++) {
      float sum = 0;
      for (int i = 0; i < size; i++) {
        sum += input[p * size + i];
      }
      out[2 * p] = model.id();
      out[2 * p + 1] = sum;
    }
    return out;
  }

  /** {@code pictures} pictures of 3 values, each picture's sum telling caller and picture apart. */
  private static float[] input(int caller, int pictures) {
    float[] in = new float[pictures * 3];
    for (int p = 0; p < pictures; p++) {
      in[3 * p] = caller * 100;
      in[3 * p + 1] = p;
      in[3 * p + 2] = 0.5f;
    }
    return in;
  }

  /** The rows the fake model gives {@code caller}'s pictures alone. */
  private static float[] expected(int model, int caller, int pictures) {
    float[] out = new float[pictures * 2];
    for (int p = 0; p < pictures; p++) {
      out[2 * p] = model;
      out[2 * p + 1] = caller * 100 + p + 0.5f;
    }
    return out;
  }

  /**
   * Starts {@code callers} requests: each announces itself, all wait until every one has, then
   * each runs {@code pictures(caller)} pictures on {@code models[caller]}.
   */
  private List<Future<float[]>> concurrent(DynamicBatcher<Fake> b, Fake[] models,
      int[] pictures) {
    CyclicBarrier announced = new CyclicBarrier(models.length);
    List<Future<float[]>> results = new ArrayList<>();
    for (int c = 0; c < models.length; c++) {
      int caller = c;
      results.add(pool.submit(() -> {
        try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
          announced.await(10, TimeUnit.SECONDS);
          return a.run(models[caller], input(caller, pictures[caller]), pictures[caller]);
        }
      }));
    }
    return results;
  }

  @Test
  void concurrentRequestsShareOneForwardPassAndEachGetsItsOwnRows() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 64);
    Fake model = new Fake(7);
    int[] pictures = {1, 2, 1, 3, 1, 1, 2, 1};
    Fake[] models = new Fake[pictures.length];
    Arrays.fill(models, model);
    long start = System.nanoTime();
    List<Future<float[]>> results = concurrent(b, models, pictures);
    for (int c = 0; c < pictures.length; c++) {
      assertThat(results.get(c).get(10, TimeUnit.SECONDS)).as("caller %d", c)
          .containsExactly(expected(7, c, pictures[c]));
    }
    // Every request was announced before any joined: the leader waited for all of them (not
    // for the 5 s window, which would only end the wait early).
    assertThat(passes).containsExactly(new Pass("m", 8, 12));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void batchesHoldAtMostMaxBatchPicturesAndALargerRequestRunsAlone() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 4);
    int[] pictures = {1, 1, 1, 1, 1, 1, 1, 1, 1, 6};
    Fake[] models = new Fake[pictures.length];
    Arrays.fill(models, new Fake(1));
    List<Future<float[]>> results = concurrent(b, models, pictures);
    for (int c = 0; c < pictures.length; c++) {
      assertThat(results.get(c).get(10, TimeUnit.SECONDS)).as("caller %d", c)
          .containsExactly(expected(1, c, pictures[c]));
    }
    assertThat(passes).allSatisfy(p -> assertThat(p.pictures() <= 4 || p.requests() == 1)
        .as("%s", p).isTrue());
    assertThat(passes).contains(new Pass("m", 1, 6));
    assertThat(passes.stream().mapToInt(Pass::pictures).sum()).isEqualTo(15);
    assertThat(passes.stream().mapToInt(Pass::requests).sum()).isEqualTo(10);
    // Nine single pictures in batches of at most 4: at least 3 passes, plus the large one.
    assertThat(passes.size()).isBetween(4, 10);
  }

  @Test
  void aLoneRequestRunsAtOnceWithoutWaitingForTheWindow() {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 64);
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
        assertThat(a.run(new Fake(2), input(i, 1), 1)).containsExactly(expected(2, i, 1));
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(passes).containsExactly(new Pass("m", 1, 1), new Pass("m", 1, 1),
        new Pass("m", 1, 1));
  }

  @Test
  void aBatchWaitsForARequestBeingPreparedAtMostMaxDelay() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofMillis(100), 64);
    CountDownLatch release = new CountDownLatch(1);
    DynamicBatcher<Fake>.Arrival slow = b.arrive("m"); // being decoded, for a long time
    Future<float[]> late = pool.submit(() -> {
      release.await(10, TimeUnit.SECONDS);
      try (slow) {
        return slow.run(new Fake(3), input(1, 1), 1);
      }
    });
    long start = System.nanoTime();
    try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
      assertThat(a.run(new Fake(3), input(0, 2), 2)).containsExactly(expected(3, 0, 2));
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(90))
        .isLessThan(Duration.ofSeconds(3));
    release.countDown();
    assertThat(late.get(10, TimeUnit.SECONDS)).containsExactly(expected(3, 1, 1));
    assertThat(passes).containsExactly(new Pass("m", 1, 2), new Pass("m", 1, 1));
  }

  @Test
  void aRequestThatFailsWhilePreparedNeverHoldsUpOrFailsTheOthers() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 64);
    CountDownLatch othersJoined = new CountDownLatch(1);
    DynamicBatcher<Fake>.Arrival bad = b.arrive("m");
    Future<?> failing = pool.submit(() -> {
      try (bad) {
        othersJoined.await(10, TimeUnit.SECONDS);
        throw new InferenceException.InvalidInput("input 'input': shape [1, 28, 28] has 3 "
            + "dimensions");
      }
    });
    long start = System.nanoTime();
    List<Future<float[]>> good = new ArrayList<>();
    CyclicBarrier announced = new CyclicBarrier(3);
    Fake model = new Fake(4); // one instance: the good requests share one batch
    for (int c = 0; c < 3; c++) {
      int caller = c;
      good.add(pool.submit(() -> {
        try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
          announced.await(10, TimeUnit.SECONDS);
          if (caller == 0) {
            // Let the others join first, then the bad one fail while they wait for it.
            awaitJoined(b, 2);
            othersJoined.countDown();
          }
          return a.run(model, input(caller, 1), 1);
        }
      }));
    }
    for (int c = 0; c < 3; c++) {
      assertThat(good.get(c).get(10, TimeUnit.SECONDS)).containsExactly(expected(4, c, 1));
    }
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("3 dimensions");
    assertThat(passes.stream().mapToInt(Pass::requests).sum()).isEqualTo(3);
    // The withdrawn announcement ended the wait: nobody waited the 5 s window.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aFailedForwardPassFailsItsOwnBatchOnly() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 64);
    // Callers 0-2 on a broken model instance, 3-5 on a good one: never in the same batch.
    Fake broken = new Fake(-1);
    Fake good = new Fake(5);
    Fake[] models = {broken, broken, good, broken, good, good};
    int[] pictures = {1, 1, 1, 1, 1, 1};
    List<Future<float[]>> results = concurrent(b, models, pictures);
    for (int c = 0; c < models.length; c++) {
      Future<float[]> r = results.get(c);
      if (models[c] == broken) {
        assertThatThrownBy(() -> r.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalStateException.class)
            .hasMessageContaining("the forward pass of a batch of")
            .hasMessageContaining("broken model -1");
      } else {
        assertThat(r.get(10, TimeUnit.SECONDS)).containsExactly(expected(5, c, 1));
      }
    }
    // The lane still works afterwards.
    try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
      assertThat(a.run(good, input(9, 1), 1)).containsExactly(expected(5, 9, 1));
    }
  }

  @Test
  void aSwappedInModelStartsANewBatchAndEachRequestRunsOnItsOwnVersion() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 64);
    Fake v1 = new Fake(1);
    Fake v2 = new Fake(2);
    Fake[] models = {v1, v1, v2, v1, v2, v2, v1, v2};
    int[] pictures = {1, 2, 1, 1, 3, 1, 1, 1};
    List<Future<float[]>> results = concurrent(b, models, pictures);
    for (int c = 0; c < models.length; c++) {
      assertThat(results.get(c).get(10, TimeUnit.SECONDS)).as("caller %d", c)
          .containsExactly(expected(models[c].id(), c, pictures[c]));
    }
    assertThat(passes.stream().mapToInt(Pass::requests).sum()).isEqualTo(8);
    assertThat(forwardModels).contains(1, 2);
  }

  @Test
  void closingRunsWaitingBatchesAtOnceAndLeavesNoThreadBehind() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(30), 64);
    DynamicBatcher<Fake>.Arrival never = b.arrive("m"); // announced, never runs
    CountDownLatch waiting = new CountDownLatch(1);
    Future<float[]> leader = pool.submit(() -> {
      try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
        waiting.countDown();
        return a.run(new Fake(6), input(0, 1), 1);
      }
    });
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    awaitJoined(b, 1);
    assertThatThrownBy(() -> leader.get(100, TimeUnit.MILLISECONDS))
        .as("the leader waits for the announced request").isInstanceOf(TimeoutException.class);
    long start = System.nanoTime();
    b.close();
    assertThat(leader.get(10, TimeUnit.SECONDS)).containsExactly(expected(6, 0, 1));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    never.close();
    // Closed: requests run on their own, at once.
    assertThat(b.batching()).isFalse();
    try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
      assertThat(a.run(new Fake(6), input(1, 2), 2)).containsExactly(expected(6, 1, 2));
    }
    assertThat(passes).containsExactly(new Pass("m", 1, 1), new Pass("m", 1, 2));
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    after.removeIf(t -> t.getName().startsWith("test-caller-"));
    assertThat(after).as("threads started by the batcher").isEmpty();
  }

  @Test
  void everyPassOfALaneRunsOnTheLanesOneThreadBatchedOrNot() throws Exception {
    for (boolean enabled : new boolean[] {true, false}) {
      forwardThreads.clear();
      DynamicBatcher<Fake> b = new DynamicBatcher<>(this::forward, enabled,
          Duration.ofMillis(1), 2, (lane, requests, pictures, waits) -> {});
      int[] pictures = {1, 1, 2, 1, 3, 1};
      Fake[] models = new Fake[pictures.length];
      Arrays.fill(models, new Fake(5));
      models[2] = new Fake(-1); // a failed pass does not end the lane's thread
      for (int round = 0; round < 3; round++) {
        List<Future<float[]>> results = concurrent(b, models, pictures);
        for (int c = 0; c < pictures.length; c++) {
          if (models[c].id() < 0) {
            int caller = c;
            assertThatThrownBy(() -> results.get(caller).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("broken model -1");
          } else {
            assertThat(results.get(c).get(10, TimeUnit.SECONDS)).as("caller %d", c)
                .containsExactly(expected(5, c, pictures[c]));
          }
        }
      }
      try (DynamicBatcher<Fake>.Arrival a = b.arrive("n")) {
        a.run(new Fake(5), input(0, 1), 1);
      }
      Set<Thread> lanes = new HashSet<>(forwardThreads);
      assertThat(lanes).as("batching %s", enabled).hasSize(2)
          .allSatisfy(t -> assertThat(t.getName()).startsWith("forward-"))
          .noneSatisfy(t -> assertThat(t.getName()).startsWith("test-caller-"));
      Thread m = forwardThreads.get(0);
      assertThat(forwardThreads.subList(0, forwardThreads.size() - 1))
          .as("every pass of lane m, batching %s", enabled).allMatch(t -> t == m);
      assertThat(m.getName()).isEqualTo("forward-m");
      assertThat(forwardThreads.get(forwardThreads.size() - 1).getName()).isEqualTo("forward-n");
      b.close();
      assertThat(m.isAlive()).as("lane m's thread ended by close").isFalse();
    }
  }

  @Test
  void disabledEveryRequestRunsOnItsOwn() throws Exception {
    DynamicBatcher<Fake> b = new DynamicBatcher<>(this::forward, false, Duration.ofSeconds(5),
        64, (lane, requests, pictures, waits) -> passes.add(new Pass(lane, requests, pictures)));
    int[] pictures = {1, 1, 2, 1};
    Fake[] models = new Fake[pictures.length];
    Arrays.fill(models, new Fake(8));
    List<Future<float[]>> results = concurrent(b, models, pictures);
    for (int c = 0; c < pictures.length; c++) {
      assertThat(results.get(c).get(10, TimeUnit.SECONDS)).containsExactly(
          expected(8, c, pictures[c]));
    }
    assertThat(passes).hasSize(4).allSatisfy(p -> assertThat(p.requests()).isOne());
  }

  @Test
  void inputsThatAreNotWholePicturesAreRefusedBeforeJoining() {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 64);
    try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
      assertThatThrownBy(() -> a.run(new Fake(1), new float[5], 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("5 values are not 2 pictures");
    }
    assertThat(passes).isEmpty();
    // The refused request withdrew: the next one does not wait for it.
    long start = System.nanoTime();
    try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
      a.run(new Fake(1), input(0, 1), 1);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aBusyLanesThreadStartsTheNextReadyBatchItself() throws Exception {
    DynamicBatcher<Fake> b = batcher(Duration.ofSeconds(5), 2);
    gate = new CountDownLatch(1);
    Fake model = new Fake(9);
    List<Future<float[]>> results = new ArrayList<>();
    for (int caller = 0; caller < 3; caller++) {
      int c = caller;
      results.add(pool.submit(() -> {
        try (DynamicBatcher<Fake>.Arrival a = b.arrive("m")) {
          return a.run(model, input(c, 2), 2); // a full batch each
        }
      }));
      awaitJoined(b, caller + 1); // the first one's pass is held: the others queue behind it
    }
    assertThat(forwardModels).containsExactly(9);
    gate.countDown();

    for (int c = 0; c < 3; c++) {
      assertThat(results.get(c).get(10, TimeUnit.SECONDS)).as("caller %d", c)
          .containsExactly(expected(9, c, 2));
    }
    // Each queued batch was ready when the pass before it ended: the lane's thread ran it next.
    assertThat(b.chained("m")).isEqualTo(2);
    assertThat(passes).containsExactly(new Pass("m", 1, 2), new Pass("m", 1, 2),
        new Pass("m", 1, 2));
    assertThat(forwardThreads).hasSize(3).allMatch(t -> t.getName().equals("forward-m"));
  }

  /** Waits until {@code n} requests of lane "m" have joined a batch and have no answer yet. */
  private static void awaitJoined(DynamicBatcher<?> batcher, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.joined("m") < n) {
      assertThat(System.nanoTime()).as("%d requests joined within 10 s", n).isLessThan(deadline);
      Thread.sleep(2); // poll interval
    }
    assertThat(batcher.joined("m")).isEqualTo(n);
  }
}
