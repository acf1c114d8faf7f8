package dev.daflow.ml.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The running statistics of {@link Layers#batchNorm}: which a graph has, and their update after a
 * training step. Per domain as in domain-specific batch normalisation (Chang et al. 2019, CVPR);
 * the exported model reads the target's (AdaBN, Li et al. 2018).
 */
public final class BatchNorm {
  /** Domain suffix of the source's statistics. */
  public static final String SOURCE = "source";
  /** Domain suffix of the target's statistics. */
  public static final String TARGET = "target";
  static final List<String> DOMAINS = List.of(SOURCE, TARGET);
  static final String RUNNING_MEAN = "running_mean/";
  static final String RUNNING_VAR = "running_var/";
  static final String BATCH_MEAN = "batch_mean/";
  static final String BATCH_VAR = "batch_var/";
  static final double EPSILON = 1e-5;
  /**
   * Weight of a step's batch statistics in the running ones, PyTorch's default: {@code running =
   * (1 - m) running + m batch}.
   */
  public static final double MOMENTUM = 0.1;
  /** Target pictures AdaBN's pass after source-only training reads, at most. */
  public static final int ADABN_PICTURES = 10_000;

  private BatchNorm() {}

  /**
   * A running statistic and the batch statistic of the same domain that a training graph
   * computes.
   */
  public record Statistic(String running, String batch) {}

  /** The statistics a training graph computes per step; empty without batch normalisation. */
  public static List<Statistic> statistics(SameDiff sd) {
    List<Statistic> out = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() != VariableType.CONSTANT) {
        continue;
      }
      String n = v.name();
      String batch = n.contains("/" + RUNNING_MEAN) ? n.replace("/" + RUNNING_MEAN, "/" + BATCH_MEAN)
          : n.contains("/" + RUNNING_VAR) ? n.replace("/" + RUNNING_VAR, "/" + BATCH_VAR) : null;
      if (batch != null && sd.hasVariable(batch)) {
        out.add(new Statistic(n, batch));
      }
    }
    return out;
  }

  /** The names of {@link #statistics}' batch statistics, the outputs a step must also compute. */
  public static List<String> batchOutputs(SameDiff sd) {
    return statistics(sd).stream().map(Statistic::batch).toList();
  }

  /**
   * Folds one step's batch statistics into the running ones in place: {@code running = (1 -
   * momentum) running + momentum batch}.
   *
   * @param outputs the step's outputs, with every {@link #batchOutputs} name
   */
  public static void update(SameDiff sd, Map<String, INDArray> outputs, double momentum) {
    for (Statistic s : statistics(sd)) {
      INDArray batch = outputs.get(s.batch());
      if (batch == null) {
        throw new IllegalStateException("step did not compute " + s.batch());
      }
      sd.getArrForVarName(s.running()).muli(1 - momentum).addi(batch.mul(momentum));
    }
  }

  /** True if {@code sd} holds batch-normalisation statistics. */
  public static boolean present(SameDiff sd) {
    for (SDVariable v : sd.variables()) {
      if (v.name().contains("/" + RUNNING_MEAN)) {
        return true;
      }
    }
    return false;
  }

  /**
   * AdaBN's estimation graph (Li et al. 2018, Alg. 1): the inference graph's encoder and
   * classifier with every batch normalisation in {@link BatchDomains#TARGET} training mode, so
   * that each batch of target pictures yields its {@link #batchOutputs}. Its parameters are set by
   * {@link Graphs#copyModel} from the model being adapted.
   */
  public static SameDiff targetStatisticsGraph(Architecture a, long seed) {
    SameDiff sd = SameDiff.create();
    java.util.Random r = new java.util.Random(seed);
    SDVariable x = Graphs.input(sd, Graphs.X, a);
    SDVariable f = a.encoder(new Layers(sd, Graphs.ENCODER, r).with(BatchDomains.TARGET), x, false);
    a.classifier(new Layers(sd, Graphs.CLASSIFIER, r).with(BatchDomains.TARGET), f, false);
    return sd;
  }

  /**
   * Sets every target running statistic of {@code sd} to the source's: a network trained on source
   * batches only, normalising as plain batch normalisation would.
   */
  public static void sourceAsTarget(SameDiff sd) {
    for (SDVariable v : sd.variables()) {
      String n = v.name();
      if (v.getVariableType() == VariableType.CONSTANT
          && (n.contains("/" + RUNNING_MEAN + SOURCE) || n.contains("/" + RUNNING_VAR + SOURCE))
          && n.endsWith("/" + SOURCE)) {
        String t = n.substring(0, n.length() - SOURCE.length()) + TARGET;
        sd.getArrForVarName(t).assign(sd.getArrForVarName(n));
      }
    }
  }

  /** Copies every running statistic of {@code from} to the statistic of that name in {@code to}. */
  public static void copyRunning(SameDiff from, SameDiff to) {
    for (SDVariable v : from.variables()) {
      String n = v.name();
      if (v.getVariableType() == VariableType.CONSTANT
          && (n.contains("/" + RUNNING_MEAN) || n.contains("/" + RUNNING_VAR))) {
        to.getArrForVarName(n).assign(from.getArrForVarName(n));
      }
    }
  }
}
