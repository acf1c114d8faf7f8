package dev.daflow.events;

import java.util.List;
import java.util.Map;

/**
 * A dataset was read, checked and stored: its pictures and manifest are in the object store and
 * training jobs may name it. Produced by data-service on {@link Topics#DATASETS}.
 *
 * @param dataset the dataset name jobs use (the key), e.g. {@code usps}
 * @param origin where it came from: {@code catalog}, {@code url} or {@code upload}
 * @param splits number of pictures per split, e.g. {@code {"train": 7291, "test": 2007}}
 * @param shape the shape every picture has
 * @param classNames label names, in label order
 * @param manifestKey object-store key of the dataset's manifest
 * @param sha256 hex SHA-256 of the manifest
 */
public record DatasetIngested(String dataset, String origin, Map<String, Integer> splits,
    ImageShape shape, List<String> classNames, String manifestKey, String sha256)
    implements DaflowEvent {

  public DatasetIngested {
    splits = Copies.map(splits);
    classNames = Copies.list(classNames);
  }

  @Override
  public String key() {
    return dataset;
  }

  /**
   * Picture dimensions.
   *
   * @param channels 1 (grey) or 3 (RGB)
   * @param height pixels
   * @param width pixels
   */
  public record ImageShape(int channels, int height, int width) {}
}
