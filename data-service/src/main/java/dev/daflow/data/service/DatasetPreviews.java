package dev.daflow.data.service;

import dev.daflow.data.service.DatasetPreview.Sample;
import dev.daflow.data.service.DatasetPreview.Shard;
import dev.daflow.data.service.DatasetPreview.SplitPreview;
import dev.daflow.data.service.DatasetRepository.Stored;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFiles;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.storage.JsonDocuments;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import dev.daflow.storage.Versioned;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Dataset previews: made on a dataset's first view from all of its pictures (counts per class
 * and split, the first pictures of each class) and stored with it ({@link
 * ObjectKeys#datasetPreview}), then read back for every view; made again only when the dataset's
 * manifest is another one (the dataset was deleted and ingested again). Thread-safe.
 */
public final class DatasetPreviews {
  private static final Logger LOG = Logger.getLogger(DatasetPreviews.class);

  /** Pictures shown per class and split. */
  public static final int PER_CLASS = 8;

  private final IngestService datasets;
  private final DatasetStore store;
  private final ObjectStore objects;
  private final JsonDocuments documents;
  private final Clock clock;

  public DatasetPreviews(IngestService datasets, DatasetStore store, ObjectStore objects,
      Clock clock) {
    this.datasets = datasets;
    this.store = store;
    this.objects = objects;
    this.documents = new JsonDocuments(objects);
    this.clock = clock;
  }

  /**
   * The preview of a stored dataset: the stored one when it was made from its current manifest,
   * else made now and stored.
   *
   * @throws IllegalArgumentException for an invalid name
   * @throws UnknownDatasetException if no such dataset is stored
   */
  public DatasetPreview preview(String name) throws IOException {
    Stored stored = datasets.get(name);
    String key = ObjectKeys.datasetPreview(name);
    Optional<DatasetPreview> kept = documents.read(key, DatasetPreview.class)
        .map(Versioned::value).filter(p -> p.manifestSha256().equals(stored.sha256()));
    if (kept.isPresent()) {
      return kept.get();
    }
    long started = System.nanoTime();
    DatasetPreview made = make(stored);
    documents.put(key, made);
    LOG.infof("preview of dataset %s made in %.1f s and stored at %s", name,
        (System.nanoTime() - started) / 1e9, key);
    return made;
  }

  private DatasetPreview make(Stored stored) throws IOException {
    DatasetManifest m = stored.manifest();
    List<SplitPreview> splits = new ArrayList<>();
    for (Split split : Split.values()) {
      String splitName = DatasetStore.splitName(split);
      DatasetManifest.SplitEntry entry = m.splits().get(splitName);
      if (entry == null) {
        continue;
      }
      ImageDataset pictures = store.load(m.dataset(), split, 0);
      int classes = m.classNames().size();
      int[] counts = new int[classes];
      List<List<Sample>> samples = new ArrayList<>();
      for (int c = 0; c < classes; c++) {
        samples.add(new ArrayList<>());
      }
      for (int i = 0; i < pictures.count(); i++) {
        int label = pictures.labels()[i];
        if (label < 0 || label >= classes) {
          continue; // the shards' decoder refuses these already
        }
        counts[label]++;
        if (samples.get(label).size() < PER_CLASS) {
          samples.get(label).add(new Sample(i, Base64.getEncoder().encodeToString(
              PictureFiles.png(pictures, i))));
        }
      }
      splits.add(new SplitPreview(splitName, entry.count(),
          Arrays.stream(counts).boxed().toList(),
          entry.shards().stream().map(s -> new Shard(s.key(), s.count(), s.sha256())).toList(),
          samples.stream().map(List::copyOf).toList()));
    }
    java.util.Set<String> shards = new java.util.HashSet<>();
    m.splits().values().forEach(e -> e.shards().forEach(s -> shards.add(s.key())));
    long bytes = objects.list(ObjectKeys.datasetPrefix(m.dataset())).stream()
        .filter(o -> shards.contains(o.key())).mapToLong(ObjectSummary::size).sum();
    return new DatasetPreview(m.dataset(), stored.sha256(), m.origin(), m.createdAt(),
        m.shape().channels(), m.shape().height(), m.shape().width(), m.classNames(), splits,
        bytes, clock.instant().toString());
  }
}
