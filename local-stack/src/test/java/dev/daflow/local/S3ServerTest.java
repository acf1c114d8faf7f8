package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.JsonDocuments;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StoredObject;
import dev.daflow.storage.Versioned;
import dev.daflow.storage.WriteConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object through a real S3Proxy process, with the SHA-256 rule of docs/storage.md, and
 * conditional writes that hold under racing writers (S3Proxy wrapped in {@code
 * AtomicConditionalWrites}).
 */
class S3ServerTest {
  @TempDir
  Path dir;

  /** A document many writers append to. */
  record Tally(List<String> entries) {
    Tally with(String entry) {
      List<String> out = new ArrayList<>(entries);
      out.add(entry);
      return new Tally(out);
    }
  }

  /** An outage: killed and started again, the server keeps its objects, port and keys. */
  @Test
  void aRestartKeepsTheObjects() throws Exception {
    String key = ObjectKeys.checkpoint("job-restart", 0);
    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("logs/s3.log"),
            S3Server.Settings.local());
        ObjectStore store = new ObjectStore(server.config())) {
      store.ensureBuckets();
      StoredObject stored = store.put(key, new byte[] {1, 2, 3}, ObjectStore.OCTET_STREAM);
      server.stop();
      assertThat(server.process().isAlive()).isFalse();
      assertThatThrownBy(() -> store.getBytes(key))
          .isInstanceOf(dev.daflow.storage.StorageUnavailableException.class);
      server.restart();
      assertThat(store.getBytes(key, stored.sha256())).containsExactly(1, 2, 3);
      assertThatThrownBy(server::restart).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is running");
    }
  }

  @Test
  void objectRoundTripsWithItsSha256AndConditionalWritesHold() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    String key = ObjectKeys.checkpoint("job-s3", 3);

    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("logs/s3.log"),
            S3Server.Settings.local());
        ObjectStore store = new ObjectStore(server.config())) {
      assertThat(server.process().isAlive()).isTrue();
      assertThat(store.ensureBuckets()).containsExactlyElementsOf(
          server.config().buckets().all());

      StoredObject stored = store.put(key, bytes, ObjectStore.OCTET_STREAM);

      assertThat(stored.sha256()).isEqualTo(sha256);
      assertThat(stored.size()).isEqualTo(bytes.length);
      assertThat(store.getBytes(key, sha256)).isEqualTo(bytes);
      assertThat(store.stat(key).sha256()).isEqualTo(sha256);
      // The filesystem backend: one file per object.
      assertThat(Files.readAllBytes(server.objects().resolve(stored.bucket()).resolve(key)))
          .isEqualTo(bytes);
      assertThatThrownBy(() -> store.getBytes(key, "0".repeat(64)))
          .isInstanceOf(IntegrityException.class);

      // Conditional writes: a stale version is refused, racing updates all land.
      JsonDocuments documents = new JsonDocuments(store);
      String record = ObjectKeys.jobRecord("job-s3");
      Versioned<Tally> first = documents.create(record, new Tally(List.of()));
      documents.replace(record, first.value().with("x"), first.etag());
      assertThatThrownBy(() -> documents.replace(record, first.value().with("y"), first.etag()))
          .isInstanceOf(WriteConflictException.class);
      int writers = 6;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> racing = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String entry = "w" + w;
          racing.add(pool.submit(() -> {
            start.await();
            return documents.update(record, Tally.class, t -> t.orElseThrow().with(entry));
          }));
        }
        start.countDown();
        for (Future<?> f : racing) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(documents.read(record, Tally.class).orElseThrow().value().entries())
          .hasSize(writers + 1).doesNotHaveDuplicates();
    }
    assertThat(Files.readString(dir.resolve("logs/s3.log"))).contains("[s3proxy]");
  }
}
