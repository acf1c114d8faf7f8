package dev.daflow.inference.service;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The models this replica serves: one {@link AtomicReference} per model name, swapped to a newer
 * version in one step. Readers take the current {@link LoadedModel} once and keep it for the whole
 * request, so a swap never fails a request in flight. An older (or the same) version never
 * replaces a newer one, whatever order promotions arrive in. Names that were promoted but are not
 * loaded (yet, or their load failed) are "known": requests for them get 503, not 404.
 */
@Singleton
public class ModelRegistry {
  private final Map<String, AtomicReference<LoadedModel>> models = new ConcurrentHashMap<>();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, String> problems = new ConcurrentHashMap<>();

  /** Remembers that {@code name} was promoted, before it is loaded. */
  public void announce(String name) {
    known.add(name);
  }

  /**
   * Makes {@code candidate} the served version of its model if it is newer than the current one.
   *
   * @return whether it was swapped in
   */
  public boolean offer(LoadedModel candidate) {
    known.add(candidate.name());
    AtomicReference<LoadedModel> ref =
        models.computeIfAbsent(candidate.name(), n -> new AtomicReference<>());
    while (true) {
      LoadedModel current = ref.get();
      if (current != null && current.version() >= candidate.version()) {
        return false;
      }
      if (ref.compareAndSet(current, candidate)) {
        problems.remove(candidate.name());
        return true;
      }
    }
  }

  /** Records why a version of {@code name} could not be loaded (shown in 503 answers). */
  public void failed(String name, int version, String why) {
    known.add(name);
    problems.put(name, "version " + version + " failed to load: " + why);
  }

  /** The served version of {@code name}, if one is loaded. */
  public Optional<LoadedModel> current(String name) {
    AtomicReference<LoadedModel> ref = models.get(name);
    return ref == null ? Optional.empty() : Optional.ofNullable(ref.get());
  }

  /** The served version number of {@code name}, 0 if none. */
  public int version(String name) {
    return current(name).map(LoadedModel::version).orElse(0);
  }

  /**
   * The model to serve a request with.
   *
   * @throws InferenceException.ModelNotFound if {@code name} was never promoted
   * @throws InferenceException.ModelNotReady if it was, but no version is loaded
   */
  public LoadedModel lookup(String name) {
    Optional<LoadedModel> current = current(name);
    if (current.isPresent()) {
      return current.get();
    }
    if (!known.contains(name)) {
      throw new InferenceException.ModelNotFound("model '" + name + "' is not known here"
          + (known.isEmpty() ? " (no model is loaded yet)" : "; known models: " + names()));
    }
    String problem = problems.get(name);
    throw new InferenceException.ModelNotReady("model '" + name + "' is not loaded yet"
        + (problem == null ? "" : " (" + problem + ")"));
  }

  /** Whether {@code name} was promoted (loaded or not). */
  public boolean isKnown(String name) {
    return known.contains(name);
  }

  /** Whether at least one model is loaded. */
  public boolean hasAny() {
    return models.values().stream().anyMatch(r -> r.get() != null);
  }

  /** Every loaded model, by name. */
  public List<LoadedModel> loaded() {
    List<LoadedModel> out = new ArrayList<>();
    models.values().forEach(r -> Optional.ofNullable(r.get()).ifPresent(out::add));
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  /** Every known model name, sorted. */
  public List<String> names() {
    List<String> out = new ArrayList<>(known);
    Collections.sort(out);
    return out;
  }
}
