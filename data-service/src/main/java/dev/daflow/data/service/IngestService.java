package dev.daflow.data.service;

import dev.daflow.data.service.DatasetMetrics.Outcome;
import dev.daflow.data.service.DatasetRepository.Stored;
import dev.daflow.events.DatasetDeleted;
import dev.daflow.events.DatasetIngested;
import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.Principals;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests datasets: from the built-in catalog, a URL or an uploaded archive, into the canonical
 * form in the store, announced with {@code dataset.ingested}.
 *
 * <ul>
 *   <li><b>Once</b>: requests for one name run one at a time; a name already stored from the
 *       same origin (catalog name, URL, or the upload's SHA-256) is a no-op that publishes
 *       nothing; from another origin it is a {@link DatasetConflictException}.
 *   <li><b>All or nothing</b>: the manifest is written last, and when anything fails after the
 *       first shard (storing, publishing) the dataset's objects are deleted again, so nothing
 *       half-written stays visible. Leftovers of an earlier crash are deleted before storing.
 *       An object store that stops answering while the dataset is stored is waited out, and the
 *       storing starts over once it answers (no manifest is ever visible without its shards).
 *   <li><b>Refusals</b>: a file that cannot be fetched or decoded, an unknown format, an archive
 *       over the limits is a {@link DatasetRejectedException} naming the file and the problem,
 *       announced with {@code dataset.rejected}.
 *   <li><b>Bounded</b>: at most {@link Limits#slots} ingestions read and store at once (each holds
 *       its dataset in memory); others wait up to {@link Limits#queueTimeout}.
 * </ul>
 */
public final class IngestService {
  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  /** Names the REST paths use for themselves ({@code /datasets/catalog}, {@code /formats}...). */
  public static final Set<String> RESERVED_NAMES = Set.of("catalog", "formats", "upload");

  /**
   * @param maxUploadBytes largest archive, uploaded or downloaded
   * @param maxExtractedBytes largest total of an archive's unpacked files
   * @param slots ingestions that may read and store at the same time
   * @param queueTimeout how long a request waits for a slot
   */
  public record Limits(long maxUploadBytes, long maxExtractedBytes, int slots,
      Duration queueTimeout) {}

  /**
   * @param dataset what is stored
   * @param created {@code true} if this request stored it, {@code false} if it was stored already
   */
  public record IngestResult(Stored dataset, boolean created) {}

  /** Reads the splits, given a private work folder. */
  private interface Reader {
    Map<Split, ImageDataset> read(Path work) throws DatasetRejectedException, IOException;
  }

  private final DatasetRepository repository;
  private final DatasetEvents events;
  private final CatalogDatasets catalog;
  private final Downloads downloads;
  private final DatasetMetrics metrics;
  private final Path workRoot;
  private final Limits limits;
  private final NameLocks locks = new NameLocks();
  private final Semaphore slots;
  private final Backoff storeOutage;

  /**
   * @param workRoot where uploads and downloads are unpacked, one folder per request, removed
   *     after it
   */
  public IngestService(DatasetRepository repository, DatasetEvents events,
      CatalogDatasets catalog, Downloads downloads, DatasetMetrics metrics, Path workRoot,
      Limits limits) {
    this(repository, events, catalog, downloads, metrics, workRoot, limits, Backoff.DEFAULT);
  }

  /**
   * @param storeOutage the pauses while the object store does not answer during the storing of
   *     a dataset (the service's back-off, {@code daflow.retry.*}): the storing starts over,
   *     without limit, once it answers
   */
  public IngestService(DatasetRepository repository, DatasetEvents events,
      CatalogDatasets catalog, Downloads downloads, DatasetMetrics metrics, Path workRoot,
      Limits limits, Backoff storeOutage) {
    this.storeOutage = storeOutage;
    this.repository = repository;
    this.events = events;
    this.catalog = catalog;
    this.downloads = downloads;
    this.metrics = metrics;
    this.workRoot = workRoot;
    this.limits = limits;
    this.slots = new Semaphore(Math.max(1, limits.slots()), true);
  }

  /**
   * Ingests a dataset of the built-in catalog under its own name.
   *
   * @throws IllegalArgumentException for an invalid name
   * @throws UnknownCatalogDatasetException for a name the catalog does not know
   * @throws DatasetRejectedException if a file cannot be fetched, is not the publisher's, or does
   *     not decode
   */
  public IngestResult ingestCatalog(String name) throws DatasetRejectedException, IOException {
    checkName(name);
    if (!catalog.knows(name)) {
      throw new UnknownCatalogDatasetException(name, catalog.names());
    }
    return ingest(name, "catalog", "catalog:" + name, null, work -> catalog.read(name));
  }

  /**
   * Downloads an archive and ingests it as {@code name}.
   *
   * @param format a {@link DatasetFormat} id
   * @throws IllegalArgumentException for an invalid name or URL, or a URL whose host is not allowed
   * @throws DatasetRejectedException for an unknown format, a failed or refused download (an
   *     address or redirect the {@link DownloadPolicy} refuses), an archive that
   *     is too large or does not hold a dataset of the format
   */
  public IngestResult ingestUrl(String name, String url, String format)
      throws DatasetRejectedException, IOException {
    checkName(name);
    URI uri = downloads.checkUrl(url);
    DatasetFormat f = format(name, "url", format);
    String file = fileName(uri);
    Path work = newWorkFolder();
    try {
      return ingest(name, "url", uri.toString(), work, w -> {
        Path archive = w.resolve("download");
        downloads.download(uri, archive, limits.maxUploadBytes());
        return unpackAndRead(archive, file, f, name, w, false);
      });
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Ingests an uploaded archive as {@code name}. The body is read first (its SHA-256 is the
   * upload's identity: the same bytes again are a no-op).
   *
   * @param format a {@link DatasetFormat} id
   * @throws IllegalArgumentException for an invalid name
   * @throws DatasetRejectedException for an unknown format, a body over the size limit, or an
   *     archive that does not hold a dataset of the format
   * @throws IOException if the body breaks off
   */
  public IngestResult ingestUpload(String name, String format, InputStream body)
      throws DatasetRejectedException, IOException {
    checkName(name);
    DatasetFormat f = format(name, "upload", format);
    Path work = newWorkFolder();
    try {
      Path archive = work.resolve("upload");
      Downloads.Copied copied;
      try {
        copied = Downloads.receive(body, archive, limits.maxUploadBytes(), "the upload");
      } catch (DatasetRejectedException e) {
        throw reject(name, "upload", e);
      }
      LOG.info("{}: received an upload of {} bytes, SHA-256 {}", name, copied.bytes(),
          copied.sha256());
      return ingest(name, "upload", "upload:sha256:" + copied.sha256(), work,
          w -> unpackAndRead(archive, "upload", f, name, w, true));
    } finally {
      deleteTree(work);
    }
  }

  /**
   * The stored dataset of that name.
   *
   * @throws UnknownDatasetException if there is none
   */
  public Stored get(String name) throws IOException {
    checkStoredName(name);
    return repository.find(name).orElseThrow(() -> new UnknownDatasetException(name));
  }

  /** Every stored dataset's manifest. */
  public List<DatasetManifest> list() throws IOException {
    return repository.list();
  }

  /**
   * Deletes a stored dataset: its manifest first, then its shards; then announces it with {@code
   * dataset.deleted} naming who deleted it. The deletion stands if the announcement cannot be
   * published (logged: the dataset is gone either way).
   *
   * @param principal who asked ({@code jwt:<name>}, {@code Principals}); null if not known
   * @throws UnknownDatasetException if there is none (leftover shards are removed all the same)
   */
  public void delete(String name, String principal) throws IOException {
    checkStoredName(name);
    DatasetDeleted deleted;
    try (NameLocks.Held held = locks.lock(name)) {
      var stored = repository.find(name);
      boolean existed = repository.delete(name);
      metrics.removed(name);
      if (!existed) {
        throw new UnknownDatasetException(name);
      }
      deleted = new DatasetDeleted(name,
          stored.map(s -> originKind(s.manifest().origin())).orElse(null),
          stored.map(Stored::sha256).orElse(null));
      LOG.info("{}: deleted by {}", name, Principals.shown(principal));
    }
    try {
      events.deleted(deleted, principal);
    } catch (RuntimeException publish) {
      LOG.warn("{}: deleted, but dataset.deleted could not be published: {}", name,
          publish.getMessage());
    }
  }

  /**
   * The kind of a manifest's origin, as the dataset events name it: {@code catalog} ({@code
   * catalog:<name>}), {@code upload} ({@code upload:sha256:...}) or {@code url} (the URL).
   */
  static String originKind(String manifestOrigin) {
    if (manifestOrigin == null) {
      return null;
    }
    if (manifestOrigin.startsWith("catalog:")) {
      return "catalog";
    }
    return manifestOrigin.startsWith("upload:") ? "upload" : "url";
  }

  private IngestResult ingest(String name, String kind, String origin, Path work, Reader reader)
      throws DatasetRejectedException, IOException {
    try (NameLocks.Held held = locks.lock(name)) {
      var existing = repository.find(name);
      if (existing.isPresent()) {
        String stored = existing.get().manifest().origin();
        if (!origin.equals(stored)) {
          throw new DatasetConflictException(name, stored, origin);
        }
        metrics.count(Outcome.NOOP);
        LOG.info("{}: already stored from {}; nothing to do", name, origin);
        return new IngestResult(existing.get(), false);
      }
      acquireSlot();
      try {
        return ingestNew(name, kind, origin, work, reader);
      } finally {
        slots.release();
      }
    }
  }

  private IngestResult ingestNew(String name, String kind, String origin, Path work,
      Reader reader) throws DatasetRejectedException, IOException {
    long start = System.nanoTime();
    LOG.info("{}: ingesting from {}", name, origin);
    Map<Split, ImageDataset> splits;
    try {
      splits = reader.read(work);
    } catch (DatasetRejectedException e) {
      metrics.time(Outcome.REJECTED, System.nanoTime() - start);
      throw reject(name, kind, e);
    }
    Stored stored;
    try {
      stored = storeWaitingOutOutages(name, origin, splits);
    } catch (IllegalArgumentException e) {
      cleanUp(name);
      metrics.time(Outcome.REJECTED, System.nanoTime() - start);
      throw reject(name, kind, DatasetRejectedException.unreadable(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      cleanUp(name);
      throw e;
    }
    DatasetManifest m = stored.manifest();
    DatasetIngested event = new DatasetIngested(name, kind, m.counts(),
        new DatasetIngested.ImageShape(m.shape().channels(), m.shape().height(),
            m.shape().width()),
        m.classNames(), stored.manifestKey(), stored.sha256());
    try {
      events.ingested(event, EventIds.of(EventType.DATASET_INGESTED, name, stored.sha256()));
    } catch (RuntimeException e) {
      // Without its event no one learns of the dataset, and a retry would be a no-op: undo.
      LOG.warn("{}: stored, but dataset.ingested could not be published; deleting it again", name);
      cleanUp(name);
      throw e;
    }
    metrics.stored(m);
    metrics.count(Outcome.INGESTED);
    long nanos = System.nanoTime() - start;
    metrics.time(Outcome.INGESTED, nanos);
    LOG.info("{}: ingested from {} in {} ms: {} pictures of {}x{}x{}, {} classes, manifest {}",
        name, origin, nanos / 1_000_000, m.counts(), m.shape().channels(), m.shape().height(),
        m.shape().width(), m.classNames().size(), stored.sha256());
    return new IngestResult(stored, true);
  }

  /**
   * Stores the splits, manifest last. A store that stops answering meanwhile is waited out with
   * the service's back-off, without limit (until the thread is interrupted: the service stops),
   * and the storing starts over once it answers: the shards of the broken try are deleted first,
   * as those of an earlier ingestion that stopped before its manifest are (there is no manifest,
   * or we would not be here). No manifest is ever visible without all its shards.
   */
  private Stored storeWaitingOutOutages(String name, String origin,
      Map<Split, ImageDataset> splits) throws IOException {
    try {
      return storeOutage.retry(Backoff.UNLIMITED,
          Backoff.anyOf(StorageUnavailableException.class),
          () -> Thread.currentThread().isInterrupted(),
          (attempt, e, pause) -> LOG.warn("{}: storing paused, the object store does not answer "
              + "({}); try {} failed, storing again from the first shard in {} ms", name,
              e.getMessage(), attempt, pause.toMillis()),
          () -> {
            repository.delete(name);
            return repository.save(name, origin, splits);
          });
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // the callable throws only the above
    }
  }

  /**
   * @param uploaded whether the archive was uploaded (its first bytes may then be shown in
   *     errors) rather than downloaded (they must not: they came from the URL's server)
   */
  private Map<Split, ImageDataset> unpackAndRead(Path archive, String file, DatasetFormat format,
      String name, Path work, boolean uploaded) throws DatasetRejectedException, IOException {
    Path unpacked = work.resolve("unpacked");
    Archives.Type type = Archives.extract(archive, file, unpacked, limits.maxExtractedBytes(),
        uploaded);
    LOG.info("{}: unpacked the {} archive {}; reading it as {}", name, type, file, format.id());
    Map<Split, ImageDataset> splits = FolderDatasets.read(format, unpacked, name);
    deleteTree(unpacked); // the pictures are in memory now
    return splits;
  }

  private DatasetFormat format(String name, String kind, String format)
      throws DatasetRejectedException {
    try {
      return DatasetFormat.of(format);
    } catch (DatasetRejectedException e) {
      throw reject(name, kind, e);
    }
  }

  /** Counts, logs and announces a refusal; returns it to be thrown. */
  private DatasetRejectedException reject(String name, String kind, DatasetRejectedException e) {
    metrics.count(Outcome.REJECTED);
    LOG.warn("{}: rejected ({}): {}", name, kind, e.getMessage());
    try {
      events.rejected(new DatasetRejected(name, kind, e.getMessage()));
    } catch (RuntimeException publish) {
      LOG.warn("{}: could not publish dataset.rejected: {}", name, publish.getMessage());
    }
    return e;
  }

  private void cleanUp(String name) {
    try {
      repository.delete(name);
    } catch (IOException | RuntimeException e) {
      LOG.error("{}: could not delete the objects of the failed ingestion (they have no "
          + "manifest, so no reader sees them; the next ingestion of this name removes them): {}",
          name, e.toString());
    }
  }

  private void acquireSlot() {
    try {
      if (!slots.tryAcquire(limits.queueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IngestBusyException(limits.slots(), limits.queueTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an ingestion slot", e);
    }
  }

  /**
   * Checks a name to store a dataset under.
   *
   * @throws IllegalArgumentException naming the problem
   */
  static void checkName(String name) {
    checkStoredName(name);
    if (RESERVED_NAMES.contains(name)) {
      throw new IllegalArgumentException("dataset name '" + name + "' is reserved (a path of "
          + "this API); choose another one");
    }
  }

  private static void checkStoredName(String name) {
    ObjectKeys.name("dataset", name);
  }

  private static String fileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() ? uri.toString() : last;
  }

  private Path newWorkFolder() throws IOException {
    Files.createDirectories(workRoot);
    return Files.createTempDirectory(workRoot, "ingest-");
  }

  /** Deletes a folder and everything in it; quietly, it is scratch space. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete the work folder {}: {}", root, e.toString());
    }
  }
}
