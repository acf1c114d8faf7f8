package dev.daflow.trainer.service;

import java.util.Optional;
import org.bytedeco.javacpp.Pointer;

/**
 * A job that ran out of memory: the heap ({@code -Xmx}) or the off-heap bounds JavaCPP enforces
 * for ND4J ({@code org.bytedeco.javacpp.maxbytes}, {@code maxphysicalbytes}). JavaCPP throws an
 * {@link OutOfMemoryError} when an allocation would pass them (after a garbage collection and a
 * retry), possibly wrapped by ND4J in a runtime exception. Such a job fails with this reason in
 * {@code training.failed}; what it held becomes garbage when its run ends, and the trainer goes on
 * with the next job.
 */
final class MemoryExhaustion {
  private MemoryExhaustion() {}

  /**
   * The trainer's memory bounds.
   *
   * @param maxHeap the heap's bound in bytes ({@code -Xmx})
   * @param maxBytes JavaCPP's bound on the bytes it allocates ({@code maxbytes}; 0: none)
   * @param maxPhysicalBytes JavaCPP's bound on the process's resident memory ({@code
   *     maxphysicalbytes}; 0: none)
   */
  record Bounds(long maxHeap, long maxBytes, long maxPhysicalBytes) {
    /** This process's. */
    static Bounds current() {
      return new Bounds(Runtime.getRuntime().maxMemory(), Pointer.maxBytes(),
          Pointer.maxPhysicalBytes());
    }

    @Override
    public String toString() {
      return "heap " + mib(maxHeap) + ", off-heap maxbytes " + mib(maxBytes)
          + ", maxphysicalbytes " + mib(maxPhysicalBytes);
    }

    private static String mib(long bytes) {
      return bytes <= 0 ? "unbounded" : (bytes >> 20) + " MiB";
    }
  }

  /** The out-of-memory error in {@code e}'s causes ({@code e} included), if any. */
  static Optional<OutOfMemoryError> find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return Optional.of(oom);
      }
    }
    return Optional.empty();
  }

  /**
   * The reason {@code training.failed} gives: {@code OutOfMemoryError: } the innermost message
   * (JavaCPP's names the bound passed, e.g. {@code Physical memory usage is too high:
   * physicalBytes (1041M) > maxPhysicalBytes (1024M)}), the trainer's bounds, and what to change.
   */
  static String reason(OutOfMemoryError e, Bounds bounds) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return "OutOfMemoryError: " + (message == null ? "out of memory" : message)
        + " (the job needs more memory than the trainer's bounds allow: " + bounds
        + "; a smaller batchSize or trainLimit needs less)";
  }

  /**
   * After a job that ran out of memory has let go of its arrays: a garbage collection, so that
   * their off-heap buffers (freed by ND4J's deallocators once unreachable) return before the
   * next job starts.
   */
  static void release() {
    System.gc();
  }
}
