package dev.daflow.inference.service;

import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectKind;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import dev.daflow.storage.StorageException;
import dev.daflow.storage.StorageUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the serving version of every model in the store's model records ({@code
 * bundles/*.model.json}) and queues their loads. At start it covers what this replica's consumer
 * group has already committed past (a restart with the same replica id); run again now and then,
 * it catches up with a promotion whose load failed.
 */
public final class StoredModels {
  private static final Logger LOG = LoggerFactory.getLogger(StoredModels.class);

  private final ObjectStore store;
  private final ModelLoader loader;

  public StoredModels(ObjectStore store, ModelLoader loader) {
    this.store = store;
    this.loader = loader;
  }

  /**
   * Lists the model records and queues a load of each one's serving version (skipped by the
   * loader when already served). A record that cannot be read is logged and passed over.
   *
   * @return the loads queued
   * @throws dev.daflow.storage.StorageException if the store cannot be listed
   */
  public List<CompletableFuture<ModelLoader.Outcome>> scan() {
    List<CompletableFuture<ModelLoader.Outcome>> loads = new ArrayList<>();
    List<ObjectSummary> objects;
    try {
      objects = store.list(ObjectKind.BUNDLE.prefix());
    } catch (ObjectNotFoundException e) {
      return loads; // no bucket yet: no models
    }
    for (ObjectSummary o : objects) {
      if (!ModelRecords.isRecordKey(o.key())) {
        continue;
      }
      String name = ModelRecords.modelName(o.key());
      try {
        ObjectKeys.name("modelName", name);
        Optional<LoadRequest> request =
            ModelRecords.servingVersion(name, store.getBytes(o.key()), o.key());
        request.ifPresent(r -> loads.add(loader.load(r)));
      } catch (StorageUnavailableException e) {
        throw e;
      } catch (IOException | IllegalArgumentException | StorageException e) {
        LOG.warn("passing over model record {}: {}", o.key(), e.getMessage());
      }
    }
    return loads;
  }
}
