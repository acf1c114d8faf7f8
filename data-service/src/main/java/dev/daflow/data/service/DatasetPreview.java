package dev.daflow.data.service;

import java.util.List;

/**
 * The preview of a stored dataset as the object store keeps it ({@code
 * datasets/<dataset>/preview.json}): made from the dataset once, by {@link DatasetPreviews}, for
 * the manifest it names; a view only lays it out ({@link PreviewPage}).
 *
 * @param dataset the dataset
 * @param manifestSha256 SHA-256 of the manifest it was made from (another one: made again)
 * @param origin where the dataset came from
 * @param createdAt when the dataset was ingested
 * @param channels 1 (grey) or 3 (RGB)
 * @param height picture height
 * @param width picture width
 * @param classNames label names, index = label
 * @param splits each split, {@code train} then {@code test}
 * @param bytes the size of the stored dataset's pictures (its shards)
 * @param madeAt when the preview was made, ISO-8601 UTC
 */
public record DatasetPreview(String dataset, String manifestSha256, String origin,
    String createdAt, int channels, int height, int width, List<String> classNames,
    List<SplitPreview> splits, long bytes, String madeAt) {

  /**
   * One split.
   *
   * @param name {@code train} or {@code test}
   * @param count pictures
   * @param classCounts pictures per class, index = label
   * @param shards its shards with their SHA-256
   * @param samples the first pictures of each class, index = label
   */
  public record SplitPreview(String name, int count, List<Integer> classCounts,
      List<Shard> shards, List<List<Sample>> samples) {}

  /**
   * @param key object key
   * @param count pictures in it
   * @param sha256 SHA-256 of its bytes
   */
  public record Shard(String key, int count, String sha256) {}

  /**
   * @param index the picture's index in its split
   * @param png the picture, PNG, base64
   */
  public record Sample(int index, String png) {}
}
