package dev.daflow.evaluator.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.daflow.storage.JsonDocuments;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectKind;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import dev.daflow.storage.StorageException;
import dev.daflow.storage.Versioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The evaluator's state, all of it in the object store so that it survives restarts and every
 * replica sees the same: one {@link StoredEvaluation} per evaluated epoch and per job bundle
 * (under {@code checkpoints/<jobId>/}), one {@link ModelRecord} per model ({@code
 * bundles/<modelName>.model.json}). Keys come from {@link ObjectKeys}; documents are read and
 * written through {@link JsonDocuments}. Thread-safe.
 *
 * <p>Model records change only by {@link #updateModel}, a conditional write retried on a fresh
 * read when another replica wrote in between, so two evaluators never lose each other's change
 * (nor give out one version number twice). Evaluations, which only the same facts ever
 * overwrite, are written unconditionally and cached in memory by key, size and modification
 * time, so listing a model's evaluations costs one listing per job, not one read per evaluation.
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
  private final JsonDocuments documents;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long size, Instant lastModified, StoredEvaluation value) {}

  public EvaluationStore(ObjectStore store) {
    this.store = store;
    this.documents = new JsonDocuments(store, JSON);
  }

  /** The bundle at {@code key}, verified against {@code sha256} ({@code null}: its own). */
  public byte[] bundle(String key, String sha256) {
    return store.getBytes(key, sha256);
  }

  /** The SHA-256 the object at {@code key} carries. */
  public String sha256Of(String key) {
    return store.stat(key).sha256();
  }

  /** The evaluation stored at {@code key}, if any. */
  public Optional<StoredEvaluation> evaluation(String key) {
    return documents.read(key, StoredEvaluation.class).map(Versioned::value);
  }

  /** Stores an evaluation at its key (an upsert: the same facts give the same record). */
  public void save(StoredEvaluation evaluation) {
    documents.put(evaluation.key(), evaluation);
    cache.remove(evaluation.key());
  }

  /**
   * Every evaluation stored for a job: its epochs' in epoch order, then its bundle's.
   *
   * @throws StorageException if one is not a readable evaluation record
   */
  public List<StoredEvaluation> evaluationsOf(String jobId) {
    List<StoredEvaluation> out = new ArrayList<>();
    for (ObjectSummary o : store.list(ObjectKeys.checkpointPrefix(jobId))) {
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
    return documents.read(ObjectKeys.modelRecord(modelName), ModelRecord.class)
        .map(Versioned::value);
  }

  /**
   * Changes a model's record with a conditional write: {@code change} gets the record as stored
   * ({@link ModelRecord#empty} for a model not known yet) and returns the new one; returning it
   * unchanged writes nothing. When another replica wrote in between, the record is read again and
   * {@code change} applied again ({@link JsonDocuments#update}): it may run more than once, each
   * time on the latest record, so whatever it derives from the record (a version number) is
   * derived afresh.
   *
   * @return the record as stored afterwards
   */
  public ModelRecord updateModel(String modelName, UnaryOperator<ModelRecord> change) {
    ModelRecord none = ModelRecord.empty(modelName);
    return documents.update(ObjectKeys.modelRecord(modelName), ModelRecord.class, stored -> {
      ModelRecord current = stored.orElse(none);
      ModelRecord next = change.apply(current);
      return stored.isEmpty() && next.equals(none) ? null : next;
    }).orElse(none);
  }

  /** The records of every known model, by name. */
  public List<ModelRecord> models() {
    List<ModelRecord> out = new ArrayList<>();
    for (ObjectSummary o : store.list(ObjectKind.BUNDLE.prefix())) {
      if (o.key().endsWith(MODEL_SUFFIX)) {
        documents.read(o.key(), ModelRecord.class).map(Versioned::value).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(ModelRecord::modelName));
    return out;
  }
}
