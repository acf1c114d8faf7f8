package dev.daflow.storage;

import java.util.List;

/**
 * What a readiness check needs to know about the object store.
 *
 * @param endpoint the configured endpoint
 * @param reachable whether the server answered
 * @param missingBuckets configured buckets that do not exist (empty when unreachable)
 * @param problem why it is not ready, for people; {@code null} when ready
 */
public record StorageHealth(String endpoint, boolean reachable, List<String> missingBuckets,
    String problem) {

  /** Copies the list. */
  public StorageHealth {
    missingBuckets = List.copyOf(missingBuckets);
  }

  /** Reachable and every configured bucket exists. */
  public boolean ready() {
    return reachable && missingBuckets.isEmpty();
  }
}
