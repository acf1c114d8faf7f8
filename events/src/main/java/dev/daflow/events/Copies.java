package dev.daflow.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unmodifiable copies of the collections in events. A {@code null} collection (a missing field)
 * stays {@code null} for the codec to report; {@code null} elements are refused.
 */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> list) {
    return list == null ? null : List.copyOf(list);
  }

  /** Keeps the map's order, so the JSON keeps it too. */
  static <V> Map<String, V> map(Map<String, V> map) {
    if (map == null) {
      return null;
    }
    Map<String, V> copy = new LinkedHashMap<>(map);
    copy.forEach((k, v) -> {
      if (k == null || v == null) {
        throw new NullPointerException("null key or value in map: " + k + "=" + v);
      }
    });
    return Collections.unmodifiableMap(copy);
  }
}
