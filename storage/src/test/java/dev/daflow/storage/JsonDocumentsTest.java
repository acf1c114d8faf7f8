package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JsonDocuments} against the tests' real S3 server ({@link EmbeddedS3}: S3Proxy with
 * {@code AtomicConditionalWrites}): conditional creates and replaces, their failures, and racing
 * writers that never lose an update.
 */
class JsonDocumentsTest {
  /** A document many writers append to. */
  record Tally(List<String> entries) {
    Tally {
      entries = List.copyOf(entries);
    }

    Tally with(String entry) {
      List<String> out = new ArrayList<>(entries);
      out.add(entry);
      return new Tally(out);
    }
  }

  @TempDir
  static Path s3dir;

  static EmbeddedS3 s3;
  static ObjectStore store;
  static JsonDocuments documents;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = EmbeddedS3.start(s3dir);
    store = new ObjectStore(s3.config());
    store.ensureBuckets();
    documents = new JsonDocuments(store);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (store != null) {
      store.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void createReadAndReplaceCarryTheVersion() {
    String key = ObjectKeys.jobRecord("doc-roundtrip");
    assertThat(documents.read(key, Tally.class)).isEmpty();

    Versioned<Tally> created = documents.create(key, new Tally(List.of("a")));
    Versioned<Tally> read = documents.read(key, Tally.class).orElseThrow();
    assertThat(read).isEqualTo(created);

    Versioned<Tally> replaced = documents.replace(key, read.value().with("b"), read.etag());
    assertThat(replaced.etag()).isNotEqualTo(read.etag());
    assertThat(documents.read(key, Tally.class).orElseThrow()).isEqualTo(replaced);
    assertThat(store.stat(key).sha256()).as("written by ObjectStore: with its SHA-256")
        .isEqualTo(Sha256.of(store.getBytes(key)));
  }

  @Test
  void preconditionFailuresAreWriteConflicts() {
    String key = ObjectKeys.modelRecord("doc-conflicts");
    Versioned<Tally> first = documents.create(key, new Tally(List.of("first")));

    // If-None-Match: * over an existing document.
    assertThatThrownBy(() -> documents.create(key, new Tally(List.of("again"))))
        .isInstanceOfSatisfying(WriteConflictException.class,
            e -> assertThat(e.key()).isEqualTo(key))
        .hasMessageContaining("PreconditionFailed");
    // If-Match with the version another writer replaced.
    documents.replace(key, new Tally(List.of("second")), first.etag());
    assertThatThrownBy(() -> documents.replace(key, new Tally(List.of("stale")), first.etag()))
        .isInstanceOf(WriteConflictException.class)
        .hasMessageContaining("PreconditionFailed");
    assertThat(documents.read(key, Tally.class).orElseThrow().value().entries())
        .containsExactly("second");
    // If-Match on a document deleted since it was read.
    String etag = documents.read(key, Tally.class).orElseThrow().etag();
    store.delete(key);
    assertThatThrownBy(() -> documents.replace(key, new Tally(List.of("gone")), etag))
        .isInstanceOf(WriteConflictException.class)
        .hasMessageContaining("is gone");
    assertThat(documents.read(key, Tally.class)).isEmpty();
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    String key = ObjectKeys.jobRecord("doc-unchanged");
    assertThat(documents.update(key, Tally.class, current -> null)).isEmpty();
    assertThat(store.exists(key)).as("null on an absent document writes none").isFalse();

    assertThat(documents.update(key, Tally.class,
        current -> current.orElse(new Tally(List.of())).with("x")))
        .contains(new Tally(List.of("x")));
    String etag = documents.read(key, Tally.class).orElseThrow().etag();
    assertThat(documents.update(key, Tally.class, current -> new Tally(List.of("x"))))
        .contains(new Tally(List.of("x")));
    assertThat(documents.update(key, Tally.class, current -> null))
        .contains(new Tally(List.of("x")));
    assertThat(documents.read(key, Tally.class).orElseThrow().etag()).isEqualTo(etag);
  }

  @Test
  void anUnreadableDocumentIsNamed() {
    String key = ObjectKeys.jobRecord("doc-garbage");
    store.put(key, "not json".getBytes(StandardCharsets.UTF_8), JsonDocuments.JSON_TYPE);
    assertThatThrownBy(() -> documents.read(key, Tally.class))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("'" + key + "' is not a valid Tally document");
    assertThatThrownBy(() -> documents.update(key, Tally.class, t -> new Tally(List.of())))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void anExceptionOfTheChangeEndsTheUpdate() {
    String key = ObjectKeys.jobRecord("doc-refused");
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> documents.update(key, Tally.class, current -> {
      calls.incrementAndGet();
      throw new IllegalStateException("no such job");
    })).isInstanceOf(IllegalStateException.class).hasMessage("no such job");
    assertThat(calls).hasValue(1);
  }

  @Test
  void anUpdateOfACorruptDocumentFailsWithTheIntegrityErrorAndWritesNothing() throws Exception {
    String key = ObjectKeys.jobRecord("doc-corrupt");
    documents.create(key, new Tally(List.of("a")));
    StoredObject put = store.stat(key);
    // Other bytes under the first version's SHA-256: corrupt, every read fails its check.
    var c = s3.config();
    MinioClient raw = MinioClient.builder().endpoint(s3.endpoint()).region(c.region())
        .credentials(c.accessKey(), c.secretKey()).build();
    byte[] forged = "{\"entries\":[\"forged\"]}".getBytes(StandardCharsets.UTF_8);
    raw.putObject(PutObjectArgs.builder().bucket(put.bucket()).object(put.key())
        .stream(new ByteArrayInputStream(forged), (long) forged.length, -1L)
        .userMetadata(Map.of("sha256", put.sha256())).build());

    assertThatThrownBy(() -> documents.update(key, Tally.class,
        t -> t.orElseThrow().with("b"))).isInstanceOf(IntegrityException.class);
    // Nothing written over it: the same forged bytes are still there.
    assertThatThrownBy(() -> documents.read(key, Tally.class))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void racingWritersNeverLoseAnUpdate() throws Exception {
    String key = ObjectKeys.jobRecord("doc-race");
    int writers = 8;
    int updatesEach = 5;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String writer = "w" + w;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < updatesEach; i++) {
            String entry = writer + "-" + i;
            // Each writer appends to the one document; the first creates it.
            documents.update(key, Tally.class,
                current -> current.orElse(new Tally(List.of())).with(entry));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Optional<Versioned<Tally>> result = documents.read(key, Tally.class);
    assertThat(result).isPresent();
    assertThat(result.get().value().entries()).as("every writer's every update")
        .hasSize(writers * updatesEach).doesNotHaveDuplicates();
  }
}
