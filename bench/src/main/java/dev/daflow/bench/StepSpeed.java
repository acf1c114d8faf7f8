package dev.daflow.bench;

import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.InputShape;
import dev.daflow.ml.train.SgdMomentum;
import dev.daflow.ml.train.Steps;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The speed of one DANN training step, as the trainer takes it ({@link Steps#descend}: forward
 * and backward pass, SGD with momentum 0.9 and weight decay 1e-5), on 128 source + 128 target
 * pictures of synthetic values, and the same step as the PyTorch twins of
 * {@code ../shared/anchors/same_nets.py} time it: {@code 3 * timed} steps of warm-up, then
 * {@code timed} steps.
 *
 * <p>Usage: {@code StepSpeed NETWORK TIMED_STEPS [--ops]}. Prints one JSON line: the network,
 * pictures per second over the timed steps, the pictures per second of each of the first 50
 * steps in windows of 5, and the first step at whose end the last 5 steps ran at 90% of the
 * timed speed (-1: none did). With {@code --ops}, also the time of each operation per step (docs/performance.md).
 */
public final class StepSpeed {
  /** Source and target pictures each, per step. */
  static final int BATCH = 128;
  /** Width of the windows that describe the warm-up, in steps. */
  static final int WINDOW = 5;

  /** One measurement. */
  record Result(String network, double imagesPerSecond, double msPerStep, double[] warmUpWindows,
      int stepsTo90) {
    String json() {
      return String.format(Locale.ROOT,
          "{\"network\": \"%s\", \"img_s\": %.1f, \"ms\": %.1f, \"warmup_img_s\": %s, "
              + "\"steps_to_90\": %d}", network, imagesPerSecond, msPerStep,
          Arrays.toString(Arrays.stream(warmUpWindows).map(Math::rint).toArray()), stepsTo90);
    }
  }

  private StepSpeed() {}

  public static void main(String[] args) {
    Architecture arch = Architectures.byName(args[0]);
    int timed = Integer.parseInt(args[1]);
    Map<String, long[]> ops = args.length > 2 && args[2].equals("--ops") ? new TreeMap<>() : null;
    Result r = measure(arch, timed, ops);
    if (ops != null) {
      long total = ops.values().stream().mapToLong(t -> t[0]).sum();
      int steps = 4 * timed;
      ops.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
          .limit(30).forEach(e -> System.out.printf(Locale.ROOT, "op %7.1f ms/step %5.1f%% %s%n",
              e.getValue()[0] / 1e6 / steps, 100.0 * e.getValue()[0] / total, e.getKey()));
    }
    System.out.println(r.json());
  }

  /**
   * Measures {@code 3 * timed} warm-up steps, then {@code timed} steps.
   *
   * @param ops when not null, filled with the nanoseconds and count of each operation (by name
   *     and output shape) over all steps
   */
  static Result measure(Architecture arch, int timed, Map<String, long[]> ops) {
    SameDiff sd = Graphs.dann(arch, 1);
    if (ops != null) {
      sd.setListeners(new OpTimes(ops));
    }
    Map<String, INDArray> ph = placeholders(arch);
    List<String> params = Graphs.trainable(sd);
    List<String> losses = List.of(Graphs.LOSS_CLASS, Graphs.LOSS_DOMAIN);
    SgdMomentum sgd = new SgdMomentum(0.9, 1e-5);
    int warmUp = 3 * timed;
    long[] ends = new long[warmUp + timed + 1];
    ends[0] = System.nanoTime();
    for (int i = 1; i <= warmUp + timed; i++) {
      Steps.descend(sd, ph, losses, params, sgd, 1e-3, 0);
      ends[i] = System.nanoTime();
    }
    double seconds = (ends[warmUp + timed] - ends[warmUp]) / 1e9;
    double speed = timed * 2.0 * BATCH / seconds;
    double[] windows = new double[Math.min(50, warmUp + timed) / WINDOW];
    for (int w = 0; w < windows.length; w++) {
      windows[w] = WINDOW * 2.0 * BATCH / ((ends[(w + 1) * WINDOW] - ends[w * WINDOW]) / 1e9);
    }
    int to90 = -1;
    for (int i = WINDOW; i <= warmUp + timed && to90 < 0; i++) {
      if (WINDOW * 2.0 * BATCH / ((ends[i] - ends[i - WINDOW]) / 1e9) >= 0.9 * speed) {
        to90 = i;
      }
    }
    return new Result(arch.name(), speed, 1000 * seconds / timed, windows, to90);
  }

  /** Synthetic inputs: uniform pictures, one-hot labels for the source half, domain labels. */
  private static Map<String, INDArray> placeholders(Architecture arch) {
    InputShape in = arch.input();
    Nd4j.getRandom().setSeed(1);
    int rows = 2 * BATCH;
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, Nd4j.rand(DataType.FLOAT, rows, in.channels(), in.height(), in.width()));
    INDArray y = Nd4j.zeros(DataType.FLOAT, rows, arch.classes());
    INDArray d = Nd4j.zeros(DataType.FLOAT, rows, 2);
    for (int i = 0; i < rows; i++) {
      if (i < BATCH) {
        y.putScalar(i, i % arch.classes(), 1f);
      }
      d.putScalar(i, i < BATCH ? 0 : 1, 1f);
    }
    ph.put(Graphs.Y, y);
    ph.put(Graphs.DOMAIN, d);
    ph.put(Graphs.LAMBDA, Nd4j.scalar(0.5f));
    arch.dropoutMasks(Graphs.ENCODER, Graphs.CLASSIFIER).forEach((name, width) ->
        ph.put(name, Nd4j.ones(DataType.FLOAT, rows, width)));
    return ph;
  }

  /** Wall time of each operation, by name and output shape. */
  private static final class OpTimes extends BaseListener {
    private final Map<String, long[]> times;
    private long start;

    OpTimes(Map<String, long[]> times) {
      this.times = times;
    }

    @Override
    public boolean isActive(Operation operation) {
      return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
      start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op,
        OpContext context, INDArray[] outputs) {
      String key = op.getOp().opName() + " "
          + (outputs.length > 0 ? Arrays.toString(outputs[0].shape()) : "");
      long[] t = times.computeIfAbsent(key, k -> new long[2]);
      t[0] += System.nanoTime() - start;
      t[1]++;
    }
  }
}
