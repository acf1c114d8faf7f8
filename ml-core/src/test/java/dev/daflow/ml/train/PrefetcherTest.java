package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The next batch assembled on a background thread while the step runs ({@link Prefetcher}):
 * every method trains to the same weights and losses, bit for bit, with and without it, and the
 * thread's failures and its end are the step thread's business. Resume equality with prefetching
 * on is {@code TrainerTest} and {@code AdaptationMethodsTest}'s resume tests (the trainer
 * prefetches by default).
 */
class PrefetcherTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Method.class)
  void batchesAreThoseOfATrainerWithoutPrefetching(Method method) throws IOException {
    ImageDataset source = Digits.mnistTrain(160);
    Preprocessing pre = Preprocessing.fit(source, new LeNet().input(), new LeNet().framing(),
        Scaling.UNIT);
    DomainData data = DomainData.of(source, Digits.uspsTrain(160), pre);
    TrainingConfig c = TrainingConfig.defaults(method, "lenet").withBatchSize(32)
        .withAugmentation(Augmentation.COLOUR);
    c = method.usesPretraining() ? c.withPretrainEpochs(1).withEpochs(1) : c.withEpochs(2);

    List<Map<String, Double>> withLosses = new ArrayList<>();
    List<Map<String, Double>> withoutLosses = new ArrayList<>();
    SameDiff with = train(c, data, true, withLosses);
    SameDiff without = train(c, data, false, withoutLosses);

    assertThat(withLosses).hasSize(10).isEqualTo(withoutLosses);
    List<String> params = Graphs.trainable(without);
    assertThat(params).isNotEmpty();
    for (String p : params) {
      assertThat(with.getArrForVarName(p)).as(p).isEqualTo(without.getArrForVarName(p));
    }
  }

  private static SameDiff train(TrainingConfig c, DomainData data, boolean prefetch,
      List<Map<String, Double>> losses) throws IOException {
    return new DomainAdaptationTrainer(c, null, prefetch).fit(data, new TrainingListener() {
      @Override
      public void onIteration(Iteration it) {
        losses.add(it.losses());
      }
    }, CancellationToken.none()).inference();
  }

  @Test
  void assemblesInStepOrderOneBatchAheadOnADaemonThread() {
    List<Integer> assembled = new CopyOnWriteArrayList<>();
    AtomicReference<Thread> worker = new AtomicReference<>();
    try (Prefetcher p = new Prefetcher(k -> {
      worker.set(Thread.currentThread());
      assembled.add(k);
      return new Phase.Batch(new int[] {k}, Map.of());
    }, 5, true)) {
      for (int step = 0; step < 5; step++) {
        assertThat(p.take(step).labels()).containsExactly(step);
        // Taking step k asks for step k + 1 only: never further ahead.
        assertThat(assembled.size()).isBetween(step + 1, Math.min(step + 2, 5));
      }
    }
    assertThat(assembled).containsExactly(0, 1, 2, 3, 4);
    assertThat(worker.get()).isNotSameAs(Thread.currentThread());
    assertThat(worker.get().isDaemon()).isTrue();
    awaitEnd(worker.get());
  }

  @Test
  void aFailureWhileAssemblingIsThrownOnTheStepThreadWithItsCause() {
    IllegalArgumentException bad = new IllegalArgumentException("picture 7 has 3 channels");
    AtomicReference<Thread> worker = new AtomicReference<>();
    Prefetcher p = new Prefetcher(k -> {
      worker.set(Thread.currentThread());
      if (k == 1) {
        throw bad;
      }
      return new Phase.Batch(new int[0], Map.of());
    }, 3, true);
    try (p) {
      p.take(0);
      assertThatThrownBy(() -> p.take(1)).isSameAs(bad);
    }
    awaitEnd(worker.get());

    Prefetcher checked = new Prefetcher(k -> {
      throw sneaky(new IOException("disk gone"));
    }, 3, true);
    try (checked) {
      assertThatThrownBy(() -> checked.take(0)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("step 0").hasRootCauseInstanceOf(IOException.class)
          .hasRootCauseMessage("disk gone");
    }
  }

  @Test
  void closeCancelsABatchUnderWayAndEndsTheThread() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicReference<Thread> worker = new AtomicReference<>();
    AtomicReference<Throwable> ended = new AtomicReference<>();
    Prefetcher p = new Prefetcher(k -> {
      if (k == 1) {
        worker.set(Thread.currentThread());
        started.countDown();
        try {
          never.await();
        } catch (InterruptedException e) {
          ended.set(e);
          Thread.currentThread().interrupt();
        }
      }
      return new Phase.Batch(new int[0], Map.of());
    }, 3, true);
    p.take(0); // step 1's batch is now being assembled, and blocks
    assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    p.close();
    assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    awaitEnd(worker.get());
  }

  @Test
  void withoutPrefetchingBatchesAreAssembledOnTheCallersThread() {
    AtomicReference<Thread> worker = new AtomicReference<>();
    try (Prefetcher p = new Prefetcher(k -> {
      worker.set(Thread.currentThread());
      return new Phase.Batch(new int[] {k}, Map.of());
    }, 2, false)) {
      assertThat(p.take(0).labels()).containsExactly(0);
    }
    assertThat(worker.get()).isSameAs(Thread.currentThread());
  }

  /** Polls until {@code t} has ended (a pool thread ends just after the pool terminates). */
  private static void awaitEnd(Thread t) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (t.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(t.isAlive()).as("prefetch thread alive after close").isFalse();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
