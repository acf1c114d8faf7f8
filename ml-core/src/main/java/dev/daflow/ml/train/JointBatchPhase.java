package dev.daflow.ml.train;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Graphs;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The phase of every method that learns from both domains in one step (DANN, CDAN, MCC, the mean
 * teacher): each step's input holds a labelled, augmented source batch in rows {@code 0..b-1} and
 * an unlabelled target batch in rows {@code b..2b-1}, and an epoch lasts until the larger domain
 * has been seen once. A method adds its own placeholders to the {@link Phase.Batch} and descends.
 * Everything here is a function of the seed and the step, so resumed runs stay exact.
 */
abstract class JointBatchPhase implements Phase {
  protected final TrainingConfig c;
  protected final Architecture arch;
  protected final DomainData data;
  /** Two buffer sets: one for the running step, one for the batch prefetched meanwhile. */
  private final BatchBuffers[] buffers;

  JointBatchPhase(TrainingConfig c, Architecture arch, DomainData data) {
    this.c = c;
    this.arch = arch;
    this.data = data;
    this.buffers = BatchBuffers.pair(data.preprocessing(), 2 * c.batchSize(), arch.classes());
  }

  @Override
  public String name() {
    return "adapt";
  }

  @Override
  public int epochs() {
    return c.epochs();
  }

  @Override
  public int stepsPerEpoch() {
    int larger = Math.max(data.source().count(), data.target().count());
    return (larger + c.batchSize() - 1) / c.batchSize();
  }

  @Override
  public int picturesPerStep() {
    return 2 * c.batchSize();
  }

  /**
   * Draws the step's joint batch: the source rows' labels, and placeholders with the pictures
   * ({@link Graphs#X}), one-hot labels whose target rows stay all-zero so that they add no label
   * loss ({@link Graphs#Y}), and the step's dropout masks.
   */
  @Override
  public final Batch prepare(Step s, int slot) {
    int b = c.batchSize();
    BatchBuffers buffers = this.buffers[slot];
    // Rows 0..b-1: a labelled source batch (augmented); rows b..2b-1: an unlabelled target batch.
    int[] labels = buffers.sample(s.source(), data.source(), b, 0);
    buffers.augment(c.augmentation(), 0, b, c.seed(), s.iteration());
    buffers.sample(s.target(), data.target().pictures(), b, b);
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, buffers.pictures(2 * b));
    ph.put(Graphs.Y, buffers.oneHot(labels, 2 * b));
    buffers.dropoutMasks(arch, ph, 2 * b, c.seed(), s.iteration());
    return new Batch(labels, ph);
  }
}
