package dev.daflow.evaluator.service;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.platform.datasets.DatasetStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test splits evaluations run on, read from the object store through {@link DatasetStore}
 * and kept in memory (the most recently used few): a job's every epoch is tested on the same two
 * splits. A cached split is used only while its dataset's manifest is the one it was read under
 * (a re-ingested dataset is read again). Thread-safe.
 */
public final class TestSplits {
  private final DatasetStore datasets;
  private final int limit;
  private final Map<String, Entry> cache;

  private record Entry(String createdAt, ImageDataset split) {}

  /**
   * @param limit at most this many pictures per split, the first ones (0: all)
   * @param capacity splits kept in memory
   */
  public TestSplits(DatasetStore datasets, int limit, int capacity) {
    if (limit < 0) {
      throw new IllegalArgumentException("daflow.evaluator.test-limit must be >= 0, got "
          + limit);
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("daflow.evaluator.test-cache must be >= 0, got "
          + capacity);
    }
    this.datasets = datasets;
    this.limit = limit;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The test split of a stored dataset (at most {@code limit} pictures).
   *
   * @throws IllegalArgumentException if the dataset is not in the store
   * @throws IOException if it cannot be read
   */
  public synchronized ImageDataset test(String dataset) throws IOException {
    DatasetManifest manifest = datasets.manifest(dataset).orElseThrow(() ->
        new IllegalArgumentException("dataset '" + dataset + "' is not ingested: its test split"
            + " cannot be evaluated"));
    Entry e = cache.get(dataset);
    if (e != null && e.createdAt().equals(manifest.createdAt())) {
      return e.split();
    }
    ImageDataset split = datasets.load(dataset, Split.TEST, limit);
    cache.put(dataset, new Entry(manifest.createdAt(), split));
    return split;
  }
}
