package dev.daflow.ml.train;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hands the native buffers of one training step to the next step of the same graph.
 *
 * <p>A step of a fixed graph at a fixed batch size asks for the same arrays in the same order
 * every time. Stock SameDiff computes gradients with its array cache switched off, so every step
 * got fresh buffers: ND4J zeroes each new buffer, the kernel maps and clears its pages, and the old
 * ones wait for the garbage collector. Measured on the {@code dann-svhn} DANN step, zeroing and
 * page faults took more CPU time than the step's arithmetic (docs/performance.md).
 *
 * <p>Here every array the gradient session allocates during a step is kept, and {@link #recycle()}
 * (called once the step's gradients and losses are no longer read) makes all of them available to
 * the next step by data type, order and shape. Nothing is reused within a step, so SameDiff's own
 * bookkeeping of which array is still needed plays no part: the only promise is the caller's, that
 * no array of a step outlives the step. Arrays the session did not allocate here (parameters,
 * placeholders, views) are never touched.
 */
final class StepMemory extends AbstractMemoryMgr {
  private record Key(DataType type, char order, List<Long> shape) {}

  private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
  private final List<INDArray> inUse = new ArrayList<>();

  /**
   * The step memory of {@code graph}'s gradient function on this thread, installed at the first
   * call. The gradient function is created here if the graph has none yet, as {@link
   * SameDiff#calculateGradientsAndOutputs} would.
   */
  static StepMemory of(SameDiff graph) {
    if (!graph.hasGradientFunction()) {
      graph.createGradFunction();
    }
    SameDiff gradients = graph.getFunction("grad");
    InferenceSession session = gradients.getSessions().computeIfAbsent(
        Thread.currentThread().getId(), id -> new InferenceSession(gradients));
    if (!(session.getMmgr() instanceof StepMemory)) {
      session.getMmgr().close();
      session.setMmgr(new StepMemory());
    }
    return (StepMemory) session.getMmgr();
  }

  @Override
  public INDArray allocate(boolean detached, DataType dataType, long... shape) {
    return take(dataType, Nd4j.order(), shape);
  }

  @Override
  public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
    if (descriptor.isEmpty()) {
      return Nd4j.create(descriptor);
    }
    return take(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
  }

  private INDArray take(DataType type, char order, long[] shape) {
    Key key = new Key(type, order, java.util.Arrays.stream(shape).boxed().toList());
    ArrayDeque<INDArray> ready = free.get(key);
    INDArray a = ready == null ? null : ready.poll();
    if (a == null) {
      a = Nd4j.createUninitializedDetached(type, order, shape);
    } else {
      // A new identity, as SameDiff's own cache does: its dependency tracker keys on it.
      ((BaseNDArray) a).assignNewId();
    }
    inUse.add(a);
    return a;
  }

  /** Nothing to do: arrays come back all at once in {@link #recycle()}. */
  @Override
  public void release(INDArray array) {}

  /** Makes every array handed out since the last call available again. */
  void recycle() {
    for (INDArray a : inUse) {
      free.computeIfAbsent(new Key(a.dataType(), a.ordering(),
          java.util.Arrays.stream(a.shape()).boxed().toList()), k -> new ArrayDeque<>()).add(a);
    }
    inUse.clear();
  }

  /** Frees every buffer. */
  @Override
  public void close() {
    recycle();
    free.values().forEach(q -> q.forEach(a -> {
      if (a.closeable()) {
        a.close();
      }
    }));
    free.clear();
  }
}
