package dev.daflow.data.service;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DatasetRepository} over the platform's {@link DatasetStore} in the object store. */
public final class StoredDatasets implements DatasetRepository {
  private final DatasetStore datasets;
  private final ObjectStore store;

  public StoredDatasets(DatasetStore datasets, ObjectStore store) {
    this.datasets = datasets;
    this.store = store;
  }

  @Override
  public Optional<Stored> find(String dataset) throws IOException {
    String key = ObjectKeys.datasetManifest(dataset);
    try {
      // The SHA-256 first: a manifest is never rewritten in place (only deleted), so the one
      // read next is the one hashed, or none.
      String sha256 = store.stat(key).sha256();
      return datasets.manifest(dataset).map(m -> new Stored(m, key, sha256));
    } catch (ObjectNotFoundException e) {
      if (e.bucketMissing()) {
        throw e;
      }
      return Optional.empty();
    }
  }

  @Override
  public List<DatasetManifest> list() throws IOException {
    return datasets.list();
  }

  @Override
  public Stored save(String dataset, String origin, Map<Split, ImageDataset> splits)
      throws IOException {
    DatasetManifest manifest = datasets.save(dataset, origin, splits);
    String key = ObjectKeys.datasetManifest(dataset);
    return new Stored(manifest, key, store.stat(key).sha256());
  }

  @Override
  public boolean delete(String dataset) throws IOException {
    return datasets.delete(dataset);
  }
}
