package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link MemoryExhaustion}: a job out of memory fails with the bound it passed. */
class MemoryExhaustionTest {

  /** What JavaCPP throws past {@code maxphysicalbytes} (its two messages, measured on M2.1). */
  private static OutOfMemoryError javacppPhysical() {
    OutOfMemoryError e = new OutOfMemoryError(
        "Cannot allocate new LongPointer(1): totalBytes = 0, physicalBytes = 1041M");
    e.initCause(new OutOfMemoryError(
        "Physical memory usage is too high: physicalBytes (1041M) > maxPhysicalBytes (1024M)"));
    return e;
  }

  @Test
  void findsAnOutOfMemoryErrorAlsoWhenNd4jWrapsIt() {
    OutOfMemoryError oom = javacppPhysical();
    assertThat(MemoryExhaustion.find(oom)).containsSame(oom);
    assertThat(MemoryExhaustion.find(new RuntimeException("op execution failed", oom)))
        .containsSame(oom);
    assertThat(MemoryExhaustion.find(new IllegalStateException("loss is NaN"))).isEmpty();
  }

  @Test
  void theReasonNamesTheBoundPassedAndTheTrainersBounds() {
    String why = MemoryExhaustion.reason(javacppPhysical(),
        new MemoryExhaustion.Bounds(2L << 30, 3L << 30, 1L << 30));
    assertThat(why).startsWith("OutOfMemoryError: Physical memory usage is too high: "
        + "physicalBytes (1041M) > maxPhysicalBytes (1024M)")
        .contains("heap 2048 MiB, off-heap maxbytes 3072 MiB, maxphysicalbytes 1024 MiB")
        .contains("smaller batchSize");
    assertThat(MemoryExhaustion.reason(new OutOfMemoryError(),
        new MemoryExhaustion.Bounds(1L << 30, 0, 0)))
        .startsWith("OutOfMemoryError: out of memory")
        .contains("maxbytes unbounded");
  }

  @Test
  void trainingFailedSaysOutOfMemoryEvenInsideAnotherException() {
    assertThat(JobExecution.describe(new RuntimeException("op failed", javacppPhysical())))
        .startsWith("OutOfMemoryError: Physical memory usage is too high");
    assertThat(JobExecution.describe(new IllegalStateException("loss is NaN")))
        .isEqualTo("IllegalStateException: loss is NaN");
  }
}
