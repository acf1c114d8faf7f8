package dev.daflow.data.service;

import static dev.daflow.data.TestArchives.imageFolder;
import static dev.daflow.data.TestArchives.text;
import static dev.daflow.data.TestArchives.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.data.service.DatasetRepository.Stored;
import dev.daflow.data.service.IngestService.IngestResult;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.DatasetDeleted;
import dev.daflow.events.DatasetIngested;
import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.platform.datasets.DatasetManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingestion rules, over an in-memory store and event list. */
class IngestServiceTest {
  @TempDir Path work;

  private final FakeRepository repo = new FakeRepository();
  private final FakeEvents events = new FakeEvents();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private IngestService service;
  private final byte[] digits = zip(imageFolder("", 3, "0", "1"));

  @BeforeEach
  void setUp() {
    service = service(1_000_000);
  }

  @AfterEach
  void noWorkLeft() throws IOException {
    if (!java.nio.file.Files.exists(work.resolve(".incoming"))) {
      return;
    }
    try (var s = java.nio.file.Files.list(work.resolve(".incoming"))) {
      assertThat(s).as("work folders removed").isEmpty();
    }
  }

  private IngestService service(long maxUpload) {
    Path mirror = Path.of(System.getProperty("test.datasets", "../../shared/datasets"));
    return new IngestService(repo, events,
        new CatalogDatasets(new DatasetCatalog(mirror, work.resolve("cache")), List.of(mirror)),
        new Downloads(DownloadPolicy.of(List.of()),
            new Downloads.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(10))),
        new DatasetMetrics(registry), work.resolve(".incoming"),
        new IngestService.Limits(maxUpload, 10_000_000, 1, Duration.ofSeconds(30)));
  }

  private IngestResult upload(String name, byte[] body) throws Exception {
    return service.ingestUpload(name, "image-folder-zip", new ByteArrayInputStream(body));
  }

  private double counter(String outcome) {
    return registry.get("daflow.dataset.ingestions").tag("outcome", outcome).counter().count();
  }

  @Test
  void ingestsOnceAndTheSameBytesAgainAreANoop() throws Exception {
    IngestResult first = upload("digits", digits);
    assertThat(first.created()).isTrue();
    DatasetManifest m = first.dataset().manifest();
    assertThat(m.counts()).isEqualTo(Map.of("train", 6, "test", 6));
    assertThat(m.origin()).isEqualTo("upload:sha256:" + sha256(digits));
    assertThat(events.ingested()).singleElement().satisfies(e -> {
      assertThat(e.dataset()).isEqualTo("digits");
      assertThat(e.origin()).isEqualTo("upload");
      assertThat(e.splits()).isEqualTo(Map.of("train", 6, "test", 6));
      assertThat(e.shape()).isEqualTo(new DatasetIngested.ImageShape(1, 8, 8));
      assertThat(e.classNames()).containsExactly("0", "1");
      assertThat(e.sha256()).isEqualTo(first.dataset().sha256());
    });
    assertThat(events.ids).containsExactly(EventIds.of(EventType.DATASET_INGESTED, "digits",
        first.dataset().sha256()));

    IngestResult again = upload("digits", digits);
    assertThat(again.created()).isFalse();
    assertThat(again.dataset()).isEqualTo(first.dataset());
    assertThat(events.all).hasSize(1);
    assertThat(repo.saves.get()).isEqualTo(1);
    assertThat(counter("ingested")).isEqualTo(1);
    assertThat(counter("noop")).isEqualTo(1);
    assertThat(registry.get("daflow.dataset.pictures").tags("dataset", "digits", "split",
        "train").gauge().value()).isEqualTo(6);
    assertThat(registry.get("daflow.dataset.ingest").tag("outcome", "ingested").timer().count())
        .isEqualTo(1);
  }

  @Test
  void anotherOriginUnderAStoredNameIsAConflict() throws Exception {
    upload("digits", digits);
    byte[] other = zip(imageFolder("", 2, "0", "1"));
    assertThatThrownBy(() -> upload("digits", other))
        .isInstanceOf(DatasetConflictException.class)
        .hasMessageContaining("dataset 'digits' exists already, ingested from upload:sha256:")
        .hasMessageContaining("DELETE /datasets/digits first");
    assertThat(events.all).hasSize(1);
  }

  @Test
  void aCorruptArchiveIsRejectedAnnouncedAndLeavesNothing() {
    byte[] corrupt = java.util.Arrays.copyOf(digits, digits.length / 2);
    assertThatThrownBy(() -> upload("broken", corrupt))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("upload: corrupt or truncated zip archive");
    assertThat(events.rejected()).singleElement().satisfies(r -> {
      assertThat(r.dataset()).isEqualTo("broken");
      assertThat(r.origin()).isEqualTo("upload");
      assertThat(r.reason()).startsWith("upload: corrupt or truncated zip archive");
    });
    assertThat(repo.objects).isEmpty();
    assertThat(counter("rejected")).isEqualTo(1);
  }

  @Test
  void unknownFormatAndOversizedBodiesAreRejectedToo() throws Exception {
    assertThatThrownBy(() -> service.ingestUpload("x", "cifar", new ByteArrayInputStream(digits)))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("unsupported format 'cifar'; supported: image-folder-zip");
    service = service(1000);
    assertThatThrownBy(() -> upload("x", digits))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("the upload is larger than the limit of 1000 bytes "
            + "(daflow.data.max-upload-bytes)")
        .extracting(e -> ((DatasetRejectedException) e).kind())
        .isEqualTo(DatasetRejectedException.Kind.TOO_LARGE);
    assertThat(events.rejected()).hasSize(2);
  }

  @Test
  void aFailedPublicationUndoesTheIngestion() {
    events.failIngested = true;
    assertThatThrownBy(() -> upload("digits", digits))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("broker down");
    assertThat(repo.objects).as("no manifest, no shard").isEmpty();
    assertThat(repo.find("digits")).isEmpty();
  }

  @Test
  void aStoreFailureAfterSomeShardsLeavesNothing() {
    repo.failAfterShards = true;
    assertThatThrownBy(() -> upload("digits", digits))
        .isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    assertThat(repo.objects).isEmpty();
    assertThat(events.all).isEmpty();
  }

  /**
   * The object store stops answering after some shards, three times (a real client's connection
   * refused): the storing is waited out with the back-off and starts over, and the dataset is
   * stored once, announced once, its manifest never visible before all its shards.
   */
  @Test
  void anUnreachableStoreIsWaitedOutAndTheStoringStartsOver() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    try (dev.daflow.storage.ObjectStore down = new dev.daflow.storage.ObjectStore(
        dev.daflow.storage.StorageConfig.of("http://127.0.0.1:" + port, "key", "secret"))) {
      repo.unavailable = down;
      repo.unavailableSaves.set(3);
      service = new IngestService(repo, events, null, null, new DatasetMetrics(registry),
          work.resolve(".incoming"), new IngestService.Limits(1_000_000, 10_000_000, 1,
              Duration.ofSeconds(30)), dev.daflow.service.common.retry.Backoff.fixed(
                  Duration.ofMillis(1)));
      IngestResult r = upload("digits", digits);
      assertThat(r.created()).isTrue();
    }
    assertThat(repo.saves.get()).as("three broken tries, then one whole").isEqualTo(4);
    assertThat(repo.manifestsSeenWithMissingShards).isZero();
    assertThat(repo.find("digits")).isPresent();
    assertThat(events.all).hasSize(1).first().isInstanceOf(DatasetIngested.class);
  }

  @Test
  void leftoversOfAnInterruptedIngestionAreRemovedFirst() throws Exception {
    repo.objects.put("datasets/digits/train/shard-00007.bin", "stale");
    upload("digits", digits);
    assertThat(repo.objects.keySet()).doesNotContain("datasets/digits/train/shard-00007.bin")
        .contains("datasets/digits/manifest.json");
  }

  @Test
  void concurrentRequestsForOneNameIngestOnce() throws Exception {
    repo.slowSave = true;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<IngestResult> a = pool.submit(() -> upload("digits", digits));
      Future<IngestResult> b = pool.submit(() -> upload("digits", digits));
      List<Boolean> created = List.of(a.get().created(), b.get().created());
      assertThat(created).containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdownNow();
    }
    assertThat(repo.saves.get()).isEqualTo(1);
    assertThat(events.ingested()).hasSize(1);
  }

  @Test
  void namesAreChecked() {
    assertThatThrownBy(() -> upload("catalog", digits))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    assertThatThrownBy(() -> upload("a/b", digits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset must be 1-128 letters, digits");
    assertThatThrownBy(() -> service.ingestCatalog("mnist-m"))
        .isInstanceOf(UnknownCatalogDatasetException.class)
        .hasMessageContaining("known: mnist, usps, svhn, mnist64, mnist64-bg")
        .hasMessageContaining("format mnist-m-archive");
    assertThatThrownBy(() -> service.get("nothing"))
        .isInstanceOf(UnknownDatasetException.class);
    assertThat(events.all).isEmpty();
  }

  @Test
  void theMirrorsSvhnStandInIsNotSvhn() {
    assertThatThrownBy(() -> service.ingestCatalog("svhn"))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("svhn-format/train_32x32.mat: md5 ")
        .hasMessageContaining("differs from the expected e26dedcc434d2e4c54c9b2d4a06d8373");
    assertThat(events.rejected()).singleElement()
        .satisfies(r -> assertThat(r.origin()).isEqualTo("catalog"));
  }

  @Test
  void deleteRemovesTheDatasetAndItsGauges() throws Exception {
    upload("digits", digits);
    String manifestSha = repo.find("digits").orElseThrow().sha256();
    service.delete("digits", "jwt:alice");
    assertThat(repo.objects).isEmpty();
    assertThat(registry.find("daflow.dataset.pictures").gauges()).isEmpty();
    // Announced after the deletion, with who deleted it.
    assertThat(events.deleted).singleElement().satisfies(d -> {
      assertThat(d.event()).isEqualTo(new DatasetDeleted("digits", "upload", manifestSha));
      assertThat(d.principal()).isEqualTo("jwt:alice");
    });
    assertThatThrownBy(() -> service.delete("digits", "jwt:alice"))
        .isInstanceOf(UnknownDatasetException.class);
    assertThat(events.deleted).hasSize(1); // nothing deleted, nothing announced
  }

  @Test
  void aDeletionStandsWhenItsAnnouncementCannotBePublished() throws Exception {
    upload("digits", digits);
    events.failDeleted = true;
    service.delete("digits", "jwt:alice");
    assertThat(repo.objects).isEmpty();
    assertThat(events.deleted).isEmpty();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Objects by key, as the object store would hold them. */
  static final class FakeRepository implements DatasetRepository {
    final Map<String, Object> objects = new ConcurrentHashMap<>();
    final AtomicInteger saves = new AtomicInteger();
    volatile boolean failAfterShards;
    volatile boolean slowSave;
    /** Saves that break off, after their first shard, as the unreachable store {@link #unavailable}. */
    final AtomicInteger unavailableSaves = new AtomicInteger();
    volatile dev.daflow.storage.ObjectStore unavailable;
    int manifestsSeenWithMissingShards;

    @Override
    public Optional<Stored> find(String dataset) {
      return Optional.ofNullable((Stored) objects.get("datasets/" + dataset + "/manifest.json"));
    }

    @Override
    public List<DatasetManifest> list() {
      List<DatasetManifest> out = new ArrayList<>();
      objects.values().stream().filter(o -> o instanceof Stored)
          .forEach(o -> out.add(((Stored) o).manifest()));
      return out;
    }

    @Override
    public Stored save(String dataset, String origin, Map<Split, ImageDataset> splits)
        throws IOException {
      saves.incrementAndGet();
      Map<String, DatasetManifest.SplitEntry> entries = new TreeMap<>();
      for (var e : splits.entrySet()) {
        String split = e.getKey().name().toLowerCase(java.util.Locale.ROOT);
        String key = "datasets/" + dataset + "/" + split + "/shard-00000.bin";
        objects.put(key, "shard");
        if (failAfterShards) {
          throw new IOException("connection reset");
        }
        if (unavailableSaves.getAndDecrement() > 0) {
          unavailable.getBytes(key); // throws StorageUnavailableException
        }
        entries.put(split, new DatasetManifest.SplitEntry(e.getValue().count(),
            List.of(new DatasetManifest.Shard(key, e.getValue().count(), "0".repeat(64)))));
      }
      if (slowSave) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ImageDataset first = splits.get(Split.TRAIN);
      DatasetManifest m = new DatasetManifest(1, dataset, origin,
          new DatasetManifest.Shape(first.channels(), first.height(), first.width()),
          first.classNames(), entries, "2026-11-24T00:00:00Z");
      String key = "datasets/" + dataset + "/manifest.json";
      if (!entries.values().stream().flatMap(e -> e.shards().stream())
          .allMatch(sh -> objects.containsKey(sh.key()))) {
        manifestsSeenWithMissingShards++;
      }
      Stored stored = new Stored(m, key, String.format("%064x", saves.get()));
      objects.put(key, stored);
      return stored;
    }

    @Override
    public boolean delete(String dataset) {
      boolean existed = objects.remove("datasets/" + dataset + "/manifest.json") != null;
      objects.keySet().removeIf(k -> k.startsWith("datasets/" + dataset + "/"));
      return existed;
    }
  }

  /** Events in the order published. */
  static final class FakeEvents implements DatasetEvents {
    final List<DaflowEvent> all = Collections.synchronizedList(new ArrayList<>());
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    volatile boolean failIngested;

    @Override
    public void ingested(DatasetIngested event, String id) {
      if (failIngested) {
        throw new IllegalStateException("could not publish: broker down");
      }
      all.add(event);
      ids.add(id);
    }

    @Override
    public void rejected(DatasetRejected event) {
      all.add(event);
    }

    record Deleted(DatasetDeleted event, String principal) {}

    final List<Deleted> deleted = Collections.synchronizedList(new ArrayList<>());
    volatile boolean failDeleted;

    @Override
    public void deleted(DatasetDeleted event, String principal) {
      if (failDeleted) {
        throw new IllegalStateException("could not publish: broker down");
      }
      deleted.add(new Deleted(event, principal));
    }

    List<DatasetIngested> ingested() {
      return all.stream().filter(e -> e instanceof DatasetIngested)
          .map(e -> (DatasetIngested) e).toList();
    }

    List<DatasetRejected> rejected() {
      return all.stream().filter(e -> e instanceof DatasetRejected)
          .map(e -> (DatasetRejected) e).toList();
    }
  }
}
