package dev.daflow.ml;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP's memory counters (ND4J's off-heap arrays), for the services' metrics gauges.
 *
 * <p>JavaCPP's {@code Loader} and {@code Pointer} classes initialise each other, and two threads
 * that start them from opposite ends deadlock. ND4J starts from {@code Loader} (loading its
 * natives, whose start waits for {@code Pointer}); a gauge calling {@code Pointer.totalBytes()}
 * first starts from {@code Pointer} (which waits for {@code Loader}). Seen in the end-to-end
 * resume test on 2026-12-05: a restarted trainer's worker began loading ND4J for the resumed job
 * while a Prometheus scrape read the off-heap gauge, and both (then every later scrape) waited
 * for good; a thread dump showed the two class initialisations. So everything here starts from
 * {@code Loader}, as ND4J does: threads that meet then wait for one another in the same order.
 */
public final class NativeMemory {
  private NativeMemory() {}

  /** Initialises JavaCPP from {@code Loader}, as ND4J does (a no-op once done). */
  public static void initialise() {
    Loader.getPlatform();
  }

  /** Off-heap bytes JavaCPP has allocated and not freed. */
  public static double offHeapBytes() {
    initialise();
    return Pointer.totalBytes();
  }

  /** Physical memory of the process as JavaCPP measures it (the resident set). */
  public static double physicalBytes() {
    initialise();
    return Pointer.physicalBytes();
  }
}
