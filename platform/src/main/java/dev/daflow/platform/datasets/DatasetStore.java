package dev.daflow.platform.datasets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectKind;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StoredObject;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Datasets in the object store: each split cut into {@link DatasetShards} of at most {@value
 * DatasetShards#PICTURES_PER_SHARD} pictures under {@code datasets/<name>/<split>/}, and a
 * {@link DatasetManifest} written last. Readers go through the manifest and verify every shard's
 * SHA-256, so a half-written or altered dataset is never read as a whole one. Also the {@link
 * DatasetSource} the trainer and the evaluator train and test on.
 */
public final class DatasetStore implements DatasetSource {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ObjectStore store;
  private final Clock clock;

  public DatasetStore(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public DatasetStore(ObjectStore store) {
    this(store, Clock.systemUTC());
  }

  /**
   * Stores a dataset: its shards first, the manifest last. Pictures of both splits must have the
   * same shape and classes.
   *
   * @param origin where the pictures came from (kept in the manifest)
   * @return the manifest written
   */
  public DatasetManifest save(String dataset, String origin, Map<Split, ImageDataset> splits)
      throws IOException {
    ImageDataset first = splits.values().iterator().next();
    Map<String, DatasetManifest.SplitEntry> entries = new LinkedHashMap<>();
    for (var e : splits.entrySet()) {
      ImageDataset d = e.getValue();
      if (d.height() != first.height() || d.width() != first.width()
          || d.channels() != first.channels() || !d.classNames().equals(first.classNames())) {
        throw new IllegalArgumentException(dataset + ": split " + splitName(e.getKey())
            + " has shape " + d.height() + "x" + d.width() + "x" + d.channels()
            + " and classes " + d.classNames() + ", unlike the first split");
      }
      List<DatasetManifest.Shard> shards = new ArrayList<>();
      // At least one shard, so an empty split is stored (and read back) too.
      int per = DatasetShards.PICTURES_PER_SHARD;
      int count = Math.max(1, (d.count() + per - 1) / per);
      for (int index = 0; index < count; index++) {
        ImageDataset part = d.slice(index * per, Math.min(d.count(), (index + 1) * per));
        String key = ObjectKeys.datasetShard(dataset, splitName(e.getKey()), index);
        StoredObject stored = store.put(key, DatasetShards.encode(part),
            ObjectStore.OCTET_STREAM);
        shards.add(new DatasetManifest.Shard(key, part.count(), stored.sha256()));
      }
      entries.put(splitName(e.getKey()), new DatasetManifest.SplitEntry(d.count(), shards));
    }
    DatasetManifest manifest = new DatasetManifest(DatasetShards.FORMAT_VERSION, dataset, origin,
        new DatasetManifest.Shape(first.channels(), first.height(), first.width()),
        first.classNames(), entries, clock.instant().toString());
    String key = ObjectKeys.datasetManifest(dataset);
    store.put(key, JSON.writeValueAsBytes(manifest), "application/json");
    return manifest;
  }

  /** The manifest of a stored dataset, empty if there is none. */
  public Optional<DatasetManifest> manifest(String dataset) throws IOException {
    String key = ObjectKeys.datasetManifest(dataset);
    if (!store.exists(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(store.getBytes(key), DatasetManifest.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty(); // deleted meanwhile
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(key + ": not a valid manifest: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The manifests of every stored dataset, by name: one listing of the dataset folders (not of
   * their shards), then one manifest each; a folder without a manifest (an interrupted
   * ingestion) is no dataset.
   */
  public List<DatasetManifest> list() throws IOException {
    String prefix = ObjectKind.DATASET.prefix();
    List<DatasetManifest> out = new ArrayList<>();
    for (String folder : store.listFolders(prefix)) {
      String name = folder.substring(prefix.length(), folder.length() - 1);
      manifest(name).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Deletes a dataset: the manifest first (it is invisible from then on), then its shards.
   *
   * @return whether it existed
   */
  public boolean delete(String dataset) throws IOException {
    String key = ObjectKeys.datasetManifest(dataset);
    boolean existed = store.exists(key);
    store.delete(key);
    store.deletePrefix(ObjectKeys.datasetPrefix(dataset));
    return existed;
  }

  /**
   * The first {@code limit} pictures of a stored split ({@code 0}: all), every shard verified.
   *
   * @throws IllegalArgumentException if the dataset is not stored (the message says so)
   */
  @Override
  public ImageDataset load(String dataset, Split split, int limit) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    DatasetManifest m = manifest(dataset).orElseThrow(() -> new IllegalArgumentException(
        "dataset '" + dataset + "' is not ingested"));
    DatasetManifest.SplitEntry entry = m.splits().get(splitName(split));
    if (entry == null) {
      throw new IllegalArgumentException("dataset '" + dataset + "' has no split "
          + splitName(split) + " (it has " + m.splits().keySet() + ")");
    }
    String name = dataset + "/" + splitName(split);
    int wanted = limit == 0 ? entry.count() : Math.min(limit, entry.count());
    List<ImageDataset> parts = new ArrayList<>();
    int have = 0;
    for (DatasetManifest.Shard shard : entry.shards()) {
      if (have >= wanted) {
        break;
      }
      byte[] bytes = store.getBytes(shard.key(), shard.sha256());
      ImageDataset part = DatasetShards.decode(bytes, shard.key(), name, m.classNames());
      if (part.count() != shard.count() || part.height() != m.shape().height()
          || part.width() != m.shape().width() || part.channels() != m.shape().channels()) {
        throw new IOException(shard.key() + ": holds " + part.count() + " pictures of "
            + part.height() + "x" + part.width() + "x" + part.channels() + ", the manifest says "
            + shard.count() + " of " + m.shape());
      }
      parts.add(part.count() > wanted - have ? part.slice(0, wanted - have) : part);
      have += parts.get(parts.size() - 1).count();
    }
    if (have != wanted) {
      throw new IOException(ObjectKeys.datasetManifest(dataset) + ": split " + splitName(split)
          + " lists " + entry.count() + " pictures but its shards hold " + have);
    }
    return concat(name, parts, m);
  }

  private static ImageDataset concat(String name, List<ImageDataset> parts, DatasetManifest m) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int count = parts.stream().mapToInt(ImageDataset::count).sum();
    int size = m.shape().channels() * m.shape().height() * m.shape().width();
    byte[] pixels = new byte[count * size];
    int[] labels = new int[count];
    int at = 0;
    for (ImageDataset p : parts) {
      System.arraycopy(p.pixels(), 0, pixels, at * size, p.count() * size);
      System.arraycopy(p.labels(), 0, labels, at, p.count());
      at += p.count();
    }
    return new ImageDataset(name, pixels, labels, count, m.shape().height(), m.shape().width(),
        m.shape().channels(), m.classNames());
  }

  /** {@code train} or {@code test}. */
  public static String splitName(Split split) {
    return split.name().toLowerCase(Locale.ROOT);
  }
}
