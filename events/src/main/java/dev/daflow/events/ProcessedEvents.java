package dev.daflow.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last events a consumer processed, in memory, so that redelivered events (Kafka
 * delivers at least once: after a rebalance or a failed commit, records come again) are skipped.
 * Check with {@link #isProcessed}, act, then {@link #markProcessed}: an event whose processing
 * failed is not marked and runs again. What must survive a restart belongs with the consumer's
 * own state (store the last event id with the state it changed, in one transaction); this covers
 * the common case of a redelivery to the same process.
 */
public final class ProcessedEvents {
  private final Map<String, Boolean> ids;

  /** Remembers the last {@code capacity} ids marked (the oldest are forgotten first). */
  public ProcessedEvents(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.ids = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Whether the event with this id was processed (among the remembered ones). */
  public synchronized boolean isProcessed(String eventId) {
    return ids.containsKey(eventId);
  }

  /** Records that the event with this id was processed. */
  public synchronized void markProcessed(String eventId) {
    ids.put(eventId, Boolean.TRUE);
  }

  /** Number of ids remembered. */
  public synchronized int size() {
    return ids.size();
  }
}
