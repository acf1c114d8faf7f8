package dev.daflow.platform.datasets;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code datasets/<name>/manifest.json} says about a stored dataset. The manifest is written
 * last: a dataset without one is not (or not yet) visible.
 *
 * @param formatVersion {@value DatasetShards#FORMAT_VERSION}
 * @param dataset the dataset's name
 * @param origin where it came from; data-service writes {@code catalog:<name>}, the URL, or
 *     {@code upload:sha256:<hex of the uploaded archive>}
 * @param shape picture shape, the same for every split
 * @param classNames label names, index = label
 * @param splits {@code train} and {@code test}, each with its shards
 * @param createdAt ISO-8601 time of ingestion
 */
public record DatasetManifest(int formatVersion, String dataset, String origin, Shape shape,
    List<String> classNames, Map<String, SplitEntry> splits, String createdAt) {

  public DatasetManifest {
    Objects.requireNonNull(dataset, "dataset");
    classNames = List.copyOf(classNames);
    splits = Map.copyOf(splits);
  }

  /** Pictures per split. */
  public Map<String, Integer> counts() {
    return splits.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().count(),
            (a, b) -> a, java.util.TreeMap::new));
  }

  /**
   * @param channels 1 (grey) or 3 (RGB)
   */
  public record Shape(int channels, int height, int width) {}

  /**
   * @param count pictures in the split
   * @param shards its shards, in order
   */
  public record SplitEntry(int count, List<Shard> shards) {
    public SplitEntry {
      shards = List.copyOf(shards);
    }
  }

  /**
   * @param key object key of the shard
   * @param count pictures in it
   * @param sha256 SHA-256 of its bytes, checked when read
   */
  public record Shard(String key, int count, String sha256) {}
}
