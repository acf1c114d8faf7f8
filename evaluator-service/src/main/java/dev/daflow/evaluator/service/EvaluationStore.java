package dev.daflow.evaluator.service;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import dev.daflow.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluator's state, all of it in the object store so that it survives restarts and every
 * replica sees the same: one {@link StoredEvaluation} per evaluated epoch and per job bundle
 * (under {@code checkpoints/<jobId>/}), one {@link ModelRecord} per model ({@code
 * bundles/<modelName>.model.json}). Keys come from {@link ObjectKeys}. Thread-safe.
 *
 * <p>Evaluations, which only the same facts ever overwrite, are cached in memory by key, size and
 * modification time, so listing a model's evaluations costs one listing per job, not one read
 * per evaluation.
 */
public final class EvaluationStore {
  /** JSON of the stored records: NaN accuracies are written as {@code "NaN"}. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final String EVALUATION_SUFFIX = ".evaluation.json";
  private static final String MODEL_SUFFIX = ".model.json";
  private static final int CACHE_LIMIT = 5_000;

  private final ObjectStore store;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long size, Instant lastModified, StoredEvaluation value) {}

  public EvaluationStore(ObjectStore store) {
    this.store = store;
  }

  /** The bundle at {@code key}, verified against {@code sha256} ({@code null}: its own). */
  public byte[] bundle(String key, String sha256) {
    return store.getBytes(store.bucketFor(key), key, sha256);
  }

  /** The SHA-256 the object at {@code key} carries. */
  public String sha256Of(String key) {
    return store.stat(store.bucketFor(key), key).sha256();
  }

  /** The evaluation stored at {@code key}, if any. */
  public Optional<StoredEvaluation> evaluation(String key) {
    return read(key, StoredEvaluation.class);
  }

  /** Stores an evaluation at its key (an upsert: the same facts give the same record). */
  public void save(StoredEvaluation evaluation) {
    write(evaluation.key(), evaluation);
    cache.remove(evaluation.key());
  }

  /**
   * Every evaluation stored for a job: its epochs' in epoch order, then its bundle's.
   *
   * @throws UncheckedIOException if one is not a readable evaluation record
   */
  public List<StoredEvaluation> evaluationsOf(String jobId) {
    String prefix = ObjectKeys.checkpointPrefix(jobId);
    String bucket = store.bucketFor(prefix + "x");
    List<StoredEvaluation> out = new ArrayList<>();
    for (ObjectSummary o : store.list(bucket, prefix)) {
      if (!o.key().endsWith(EVALUATION_SUFFIX)) {
        continue;
      }
      Cached c = cache.get(o.key());
      if (c == null || c.size() != o.size() || !c.lastModified().equals(o.lastModified())) {
        Optional<StoredEvaluation> read = evaluation(o.key());
        if (read.isEmpty()) {
          continue; // deleted since the listing
        }
        if (cache.size() >= CACHE_LIMIT) {
          cache.clear();
        }
        c = new Cached(o.size(), o.lastModified(), read.get());
        cache.put(o.key(), c);
      }
      out.add(c.value());
    }
    out.sort(Comparator.comparing((StoredEvaluation e) -> e.artifact().equals(
        StoredEvaluation.BUNDLE)).thenComparingInt(StoredEvaluation::epoch));
    return out;
  }

  /** A model's record, if the model is known. */
  public Optional<ModelRecord> model(String modelName) {
    return read(ObjectKeys.modelRecord(modelName), ModelRecord.class);
  }

  /** Stores a model's record (replacing the previous one). */
  public void save(ModelRecord model) {
    write(ObjectKeys.modelRecord(model.modelName()), model);
  }

  /** The records of every known model, by name. */
  public List<ModelRecord> models() {
    String bucket = store.bucketFor(ObjectKeys.modelRecord("x"));
    List<ModelRecord> out = new ArrayList<>();
    for (ObjectSummary o : store.list(bucket, "bundles/")) {
      if (o.key().endsWith(MODEL_SUFFIX)) {
        read(o.key(), ModelRecord.class).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(ModelRecord::modelName));
    return out;
  }

  private <T> Optional<T> read(String key, Class<T> type) {
    byte[] bytes;
    try {
      bytes = store.getBytes(store.bucketFor(key), key);
    } catch (ObjectNotFoundException e) {
      if (e.bucketMissing()) {
        throw e;
      }
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(bytes, type));
    } catch (JacksonException e) {
      throw new StorageException(key + ": not a valid " + type.getSimpleName() + " record: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String key, Object value) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": cannot write JSON", e);
    }
    store.put(store.bucketFor(key), key, bytes, "application/json");
  }
}
