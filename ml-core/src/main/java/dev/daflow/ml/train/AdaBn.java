package dev.daflow.ml.train;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdaBN (Li et al. 2018, "Adaptive Batch Normalization for practical domain adaptation", Pattern
 * Recognition 80, Alg. 1): the target domain's batch-normalisation statistics estimated in one
 * pass over target pictures, for a model trained without target batches (source-only training).
 * The population mean and variance come from the batches' statistics by the law of total
 * variance: {@code E[x] = sum n_i m_i / N}, {@code Var[x] = sum n_i (v_i + m_i^2) / N - E[x]^2}.
 * Exact for a network with one batch normalisation (each later one would see its predecessors
 * normalised with batch instead of population statistics, as in the paper's one-pass variant).
 */
final class AdaBn {
  /** Pictures per batch of the pass. */
  static final int BATCH = 256;

  private AdaBn() {}

  /**
   * Sets the target statistics of {@code inference} from at most {@code max} target pictures
   * spread evenly over the dataset. Nothing else of the graph changes; without batch
   * normalisation it does nothing.
   */
  static void estimateTarget(SameDiff inference, Architecture arch, long seed,
      ImageDataset target, Preprocessing pre, int max) {
    if (!BatchNorm.present(inference)) {
      return;
    }
    SameDiff pass = BatchNorm.targetStatisticsGraph(arch, seed);
    Graphs.copyModel(inference, pass);
    List<BatchNorm.Statistic> stats = BatchNorm.statistics(pass);
    List<String> outputs = BatchNorm.batchOutputs(pass);
    int m = Math.min(target.count(), max);
    var s = pre.input();
    int size = s.size();
    Map<String, INDArray> sums = new HashMap<>();
    Map<String, INDArray> squares = new HashMap<>();
    int[] idx = new int[BATCH];
    float[] buf = new float[BATCH * size];
    for (int from = 0; from < m; from += BATCH) {
      int n = Math.min(BATCH, m - from);
      for (int i = 0; i < n; i++) {
        idx[i] = (int) ((long) (from + i) * target.count() / m);
      }
      pre.fill(target, idx, 0, n, buf, 0);
      INDArray x = Nd4j.create(Arrays.copyOf(buf, n * size),
          new long[] {n, s.channels(), s.height(), s.width()}, 'c');
      Map<String, INDArray> o = pass.output(Map.of(Graphs.X, x), outputs);
      for (BatchNorm.Statistic st : stats) {
        if (!st.running().contains("/running_mean/")) {
          continue;
        }
        String varName = st.batch().replace("/batch_mean/", "/batch_var/");
        INDArray mean = o.get(st.batch()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray var = o.get(varName).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray second = var.add(mean.mul(mean)).muli(n);
        sums.merge(st.running(), mean.mul(n), INDArray::addi);
        squares.merge(st.running(), second, INDArray::addi);
      }
    }
    for (var e : sums.entrySet()) {
      INDArray mean = e.getValue().div(m);
      INDArray var = squares.get(e.getKey()).div(m).subi(mean.mul(mean));
      inference.getArrForVarName(e.getKey()).assign(mean);
      inference.getArrForVarName(e.getKey().replace("/running_mean/", "/running_var/"))
          .assign(var);
    }
  }
}
