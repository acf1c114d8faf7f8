package dev.daflow.trainer.service;

import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import dev.daflow.storage.StoredObject;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A job's objects in the store: the latest checkpoint that verifies, downloaded to resume from,
 * and write-once uploads of its checkpoints and bundles.
 *
 * <p>Uploads are write-once: an object already stored under a checkpoint or bundle key (by an
 * earlier run that crashed before announcing it) is kept and announced with its own SHA-256, so an
 * event never names bytes that another run replaced. A run resumed from epoch {@code k} trains the
 * same weights as an uninterrupted one (ml-core's resume determinism), so either copy is right.
 * An object that fails its own checksum is replaced.
 */
final class CheckpointSync {
  private static final Logger LOG = Logger.getLogger(CheckpointSync.class);

  private final ObjectStore store;
  private final String jobId;

  CheckpointSync(ObjectStore store, String jobId) {
    this.store = store;
    this.jobId = jobId;
  }

  /**
   * Fetches the job's latest checkpoint of an epoch up to {@code upToEpoch} that verifies into
   * {@code dir}, where ml-core's trainer resumes from it.
   *
   * @return its epoch, or -1 when there is none
   */
  int downloadLatest(Path dir, int upToEpoch) {
    String prefix = ObjectKeys.checkpointPrefix(jobId);
    List<ObjectSummary> candidates = store.list(prefix).stream()
        .filter(o -> ObjectKeys.checkpointEpoch(o.key()).isPresent())
        .filter(o -> ObjectKeys.checkpointEpoch(o.key()).getAsInt() <= upToEpoch)
        .sorted(Comparator.comparingInt(
            (ObjectSummary o) -> ObjectKeys.checkpointEpoch(o.key()).getAsInt()).reversed())
        .toList();
    // The newest first; one that fails its checksum (or vanished) gives way to the one before.
    for (ObjectSummary o : candidates) {
      int epoch = ObjectKeys.checkpointEpoch(o.key()).getAsInt();
      String name = o.key().substring(o.key().lastIndexOf('/') + 1);
      try {
        store.download(o.key(), dir.resolve(name));
        LOG.infof("job %s: resuming from %s", jobId, o.key());
        return epoch;
      } catch (IntegrityException | ObjectNotFoundException e) {
        LOG.warnf("job %s: skipping checkpoint %s: %s", jobId, o.key(), e.getMessage());
      }
    }
    return -1;
  }

  /** Uploads an epoch's checkpoint (write-once). */
  StoredObject putCheckpoint(int epoch, Path file) {
    return putOnce(ObjectKeys.checkpoint(jobId, epoch), file);
  }

  /** Uploads an epoch's bundle (write-once). */
  StoredObject putEpochBundle(int epoch, Path file) {
    return putOnce(ObjectKeys.checkpointBundle(jobId, epoch), file);
  }

  /** Uploads the job's final bundle (write-once). */
  StoredObject putFinalBundle(Path file) {
    return putOnce(ObjectKeys.bundle(jobId), file);
  }

  /** Uploads {@code file} as {@code key} unless an object is there already (see the class). */
  private StoredObject putOnce(String key, Path file) {
    try {
      StoredObject existing = store.stat(key);
      LOG.infof("job %s: keeping %s from an earlier run", jobId, key);
      return existing;
    } catch (ObjectNotFoundException e) {
      if (e.bucketMissing()) {
        throw e;
      }
    } catch (IntegrityException e) {
      LOG.warnf("job %s: replacing %s: %s", jobId, key, e.getMessage());
    }
    return store.put(key, file, ObjectStore.OCTET_STREAM);
  }
}
