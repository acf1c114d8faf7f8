package dev.daflow.data.service;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per dataset name, so that two requests for the same name run one after the other
 * (the second then finds the first one's manifest) while other names go on. Locks of names no
 * one holds or waits for are dropped. Within one service instance only.
 */
final class NameLocks {
  private final Map<String, Entry> locks = new HashMap<>();

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock(true);
    int users;
  }

  /** A held lock; closing releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Waits for the name's lock. */
  Held lock(String name) {
    Entry entry;
    synchronized (locks) {
      entry = locks.computeIfAbsent(name, n -> new Entry());
      entry.users++;
    }
    try {
      entry.lock.lockInterruptibly();
    } catch (InterruptedException e) {
      release(name, entry);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for dataset '" + name + "'");
    }
    return () -> {
      entry.lock.unlock();
      release(name, entry);
    };
  }

  private void release(String name, Entry entry) {
    synchronized (locks) {
      if (--entry.users == 0) {
        locks.remove(name);
      }
    }
  }

  /** Names with a lock held or awaited (for tests). */
  int size() {
    synchronized (locks) {
      return locks.size();
    }
  }
}
