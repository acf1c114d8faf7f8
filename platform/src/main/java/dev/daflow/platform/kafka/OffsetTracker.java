package dev.daflow.platform.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets are done. A partition's offset is committable up to (excluding) its
 * oldest record still in flight, so a record is never committed before it is handled, even when
 * later ones finish first. Thread-safe: records complete on worker threads.
 */
final class OffsetTracker {
  private final Map<TopicPartition, TreeMap<Long, Boolean>> pending = new HashMap<>();

  /** A record was handed to the handler. */
  synchronized void started(TopicPartition partition, long offset) {
    pending.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
  }

  /**
   * A record is done.
   *
   * @return false if the partition is no longer tracked (it was revoked meanwhile)
   */
  synchronized boolean done(TopicPartition partition, long offset) {
    TreeMap<Long, Boolean> offsets = pending.get(partition);
    if (offsets == null || !offsets.containsKey(offset)) {
      return false;
    }
    offsets.put(offset, true);
    return true;
  }

  /** Records handed out and not done, over all partitions. */
  synchronized int inFlight() {
    int n = 0;
    for (TreeMap<Long, Boolean> offsets : pending.values()) {
      for (boolean done : offsets.values()) {
        n += done ? 0 : 1;
      }
    }
    return n;
  }

  /**
   * The offsets to commit now (the next record to read, per partition), forgetting the done
   * records they cover.
   */
  synchronized Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (var e : pending.entrySet()) {
      long next = -1;
      Iterator<Map.Entry<Long, Boolean>> it = e.getValue().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Boolean> o = it.next();
        if (!o.getValue()) {
          break;
        }
        next = o.getKey() + 1;
        it.remove();
      }
      if (next >= 0) {
        commit.put(e.getKey(), new OffsetAndMetadata(next));
      }
    }
    return commit;
  }

  /** Stops tracking partitions this consumer no longer owns. */
  synchronized void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(pending::remove);
  }
}
