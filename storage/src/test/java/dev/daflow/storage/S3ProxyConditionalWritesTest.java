package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.s3proxy.AtomicConditionalWrites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What S3Proxy 4.1.0 does with {@code If-Match} on its filesystem store, shown deterministically:
 * it checks the condition with a HEAD, then writes unconditionally. A writer whose HEAD passed
 * and who is then overtaken by another writer of the same version still writes, and that other
 * writer's change is lost. {@link AtomicConditionalWrites} (what {@link EmbeddedS3} and
 * local-stack's server run) checks again under a per-key lock together with the write, and
 * refuses the late writer. See docs/storage.md, "Conditional writes".
 */
class S3ProxyConditionalWritesTest {
  @TempDir
  Path dir;

  record Doc(String by) {}

  /** Holds the next HEAD of one key until released: the gap between S3Proxy's check and write. */
  static final class PausingHead extends ForwardingBlobStore {
    final AtomicReference<String> armedKey = new AtomicReference<>();
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    PausingHead(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
      HeadObjectResponse response = super.blobMetadata(request);
      String armed = armedKey.get();
      if (request.key().equals(armed) && armedKey.compareAndSet(armed, null)) {
        reached.countDown();
        await(release);
      }
      return response;
    }
  }

  @Test
  void s3proxyAloneLetsAStaleIfMatchThrough() throws Exception {
    List<String> outcome = race(UnaryOperator.identity());
    assertThat(outcome).as("both writers succeeded: B's change was overwritten")
        .containsExactly("A: written", "B: written", "stored: A");
  }

  @Test
  void atomicConditionalWritesRefusesTheLateWriter() throws Exception {
    List<String> outcome = race(AtomicConditionalWrites::new);
    assertThat(outcome).containsExactly("A: WriteConflictException", "B: written", "stored: B");
  }

  /**
   * Writers A and B both read version 0, then replace it: A's request is held after S3Proxy's
   * HEAD, B writes meanwhile, then A goes on.
   */
  private List<String> race(UnaryOperator<BlobStore> outer) throws Exception {
    AtomicReference<PausingHead> pausing = new AtomicReference<>();
    UnaryOperator<BlobStore> stack = fs -> {
      PausingHead p = new PausingHead(fs);
      pausing.set(p);
      return outer.apply(p);
    };
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir, stack);
        ObjectStore store = new ObjectStore(s3.config())) {
      store.ensureBuckets();
      JsonDocuments documents = new JsonDocuments(store);
      String key = ObjectKeys.modelRecord("raced");
      String version0 = documents.create(key, new Doc("nobody")).etag();

      pausing.get().armedKey.set(key);
      CompletableFuture<String> a = CompletableFuture.supplyAsync(
          () -> outcome("A", () -> documents.replace(key, new Doc("A"), version0)));
      assertThat(pausing.get().reached.await(30, TimeUnit.SECONDS)).as("A's HEAD").isTrue();
      String b = outcome("B", () -> documents.replace(key, new Doc("B"), version0));
      pausing.get().release.countDown();
      String aDone;
      try {
        aDone = a.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
      return List.of(aDone, b, "stored: " + documents.read(key, Doc.class).orElseThrow()
          .value().by());
    }
  }

  private static String outcome(String writer, Runnable write) {
    try {
      write.run();
      return writer + ": written";
    } catch (WriteConflictException e) {
      return writer + ": " + e.getClass().getSimpleName();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void ifNoneMatchStarIsAtomicInS3ProxyItself() throws Exception {
    // Its filesystem store publishes a create by a hard link, which fails if the file exists.
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir, UnaryOperator.identity());
        ObjectStore store = new ObjectStore(s3.config())) {
      store.ensureBuckets();
      JsonDocuments documents = new JsonDocuments(store);
      String key = ObjectKeys.modelRecord("claimed");
      int writers = 8;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<String> outcomes = new ArrayList<>();
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> racing = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String name = "w" + w;
          racing.add(pool.submit(() -> {
            start.await();
            return outcome(name, () -> documents.create(key, new Doc(name)));
          }));
        }
        start.countDown();
        for (Future<String> f : racing) {
          outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(outcomes).filteredOn(o -> o.endsWith("written")).as(outcomes.toString())
          .hasSize(1);
      String winner = outcomes.stream().filter(o -> o.endsWith("written")).findFirst()
          .orElseThrow();
      assertThat(winner).startsWith(documents.read(key, Doc.class).orElseThrow().value().by());
    }
  }
}
