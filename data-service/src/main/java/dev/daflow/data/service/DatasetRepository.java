package dev.daflow.data.service;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.platform.datasets.DatasetManifest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where datasets are stored: the object store in the service ({@link StoredDatasets}), a map in
 * unit tests. A dataset is visible once its manifest is.
 */
public interface DatasetRepository {

  /**
   * A stored dataset.
   *
   * @param manifest what the manifest says
   * @param manifestKey the manifest's object key
   * @param sha256 hex SHA-256 of the manifest object
   */
  record Stored(DatasetManifest manifest, String manifestKey, String sha256) {}

  /** The dataset of that name, if its manifest exists. */
  Optional<Stored> find(String dataset) throws IOException;

  /** Every stored dataset's manifest. */
  List<DatasetManifest> list() throws IOException;

  /** Stores the pictures, shards first and the manifest last. */
  Stored save(String dataset, String origin, Map<Split, ImageDataset> splits) throws IOException;

  /**
   * Removes the manifest (the dataset is invisible from then on), then every other object under
   * the dataset's prefix: also the leftovers of an ingestion that stopped before its manifest.
   *
   * @return whether a manifest existed
   */
  boolean delete(String dataset) throws IOException;
}
