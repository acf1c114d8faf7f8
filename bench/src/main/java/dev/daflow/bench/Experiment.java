package dev.daflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.eval.DomainDistance;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.model.Prediction;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One training run with every option settable, for recipe exploration; appends one JSON line per
 * run to a log. Usage: {@code Experiment DATASETS_DIR LOG.jsonl key=value...} with keys {@code
 * source target method network epochs pre limit batch augment seed lr solver clip lambdaMax
 * classWeights domainLr}.
 *
 * <p>Besides the test accuracies it records label-free signals that may be used to choose a
 * recipe: the mean prediction entropy on target training pictures (no labels read), the proxy
 * A-distance between the domains' test pictures in the model's feature space ({@link
 * DomainDistance}) and the last epoch's losses. Target test labels feed only the reported accuracy.
 */
public final class Experiment {
  private static final Set<String> KEYS = Set.of("source", "target", "method", "network",
      "epochs", "pre", "limit", "batch", "augment", "seed", "lr", "solver", "clip", "lambdaMax",
      "classWeights", "domainLr", "note");
  /** Target training pictures the entropy is measured on. */
  private static final int ENTROPY_PICTURES = 2000;
  /** Test pictures per domain the proxy A-distance is measured on. */
  private static final int PAD_PICTURES = 2000;

  private Experiment() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: Experiment DATASETS_DIR LOG.jsonl key=value...");
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1 || !KEYS.contains(args[i].substring(0, eq))) {
        throw new IllegalArgumentException("not a key=value option: '" + args[i] + "'; keys: "
            + KEYS);
      }
      o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Method method = Method.parse(o.getOrDefault("method", "dann"));
    TrainingConfig c = TrainingConfig.defaults(method, o.getOrDefault("network", "lenet"))
        .withEpochs(Integer.parseInt(o.getOrDefault("epochs", "3")))
        .withBatchSize(Integer.parseInt(o.getOrDefault("batch", "128")))
        .withAugmentation(Augmentation.valueOf(o.getOrDefault("augment", "NONE")
            .toUpperCase(Locale.ROOT)))
        .withSeed(Long.parseLong(o.getOrDefault("seed", "42")));
    if (o.containsKey("lr")) {
      c = c.withLearningRate(Double.parseDouble(o.get("lr")));
    }
    if (method.usesPretraining()) {
      c = c.withPretrainEpochs(Integer.parseInt(o.getOrDefault("pre", "2")));
    }
    Tuning t = Tuning.DEFAULT
        .withSolver(Tuning.Solver.valueOf(o.getOrDefault("solver", "SGD").toUpperCase(Locale.ROOT)))
        .withClipNorm(Double.parseDouble(o.getOrDefault("clip", "0")))
        .withLambdaMax(Double.parseDouble(o.getOrDefault("lambdaMax", "1")))
        .withClassWeighting(Boolean.parseBoolean(o.getOrDefault("classWeights", "false")))
        .withDomainLearningRateScale(Double.parseDouble(o.getOrDefault("domainLr", "1")));
    c = c.withTuning(t);
    String source = o.getOrDefault("source", "mnist");
    String target = o.getOrDefault("target", "usps");
    int limit = Integer.parseInt(o.getOrDefault("limit", "0"));

    DatasetCatalog catalog = new DatasetCatalog(Path.of(args[0]), DatasetCatalog.defaultCache());
    System.out.println("experiment " + o);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("options", o);
    row.put("config", c);
    try {
      JobResult res = new JobRunner(catalog).run(new JobSpec(source, target, c, limit),
          new Benchmark.EpochPrinter(), CancellationToken.none(), null);
      row.put("targetAcc", res.targetTest().accuracy());
      row.put("sourceAcc", res.sourceTest().accuracy());
      row.put("seconds", Math.round(res.training().seconds()));
      row.put("imagesPerSecond", Math.round(res.training().imagesPerSecond()));
      row.put("lastLosses", res.training().lastLosses());
      int n = limit > 0 ? Math.min(limit, ENTROPY_PICTURES) : ENTROPY_PICTURES;
      row.put("targetEntropy", meanEntropy(res.model().classify(
          catalog.load(target, Split.TRAIN, n))));
      // Proxy A-distance between the domains' test pictures in the model's feature space
      // (domain membership only; no class label read).
      DomainDistance.Result pad = DomainDistance.proxyA(res.model(),
          catalog.load(source, Split.TEST, PAD_PICTURES),
          catalog.load(target, Split.TEST, PAD_PICTURES), PAD_PICTURES);
      row.put("proxyADistance", pad.pad());
    } catch (ArithmeticException | IllegalStateException e) {
      row.put("failure", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    String line = new ObjectMapper().writeValueAsString(row);
    System.out.println(line);
    Path log = Path.of(args[1]);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Mean Shannon entropy (nats) of the predicted class distributions. */
  static double meanEntropy(Prediction[] predictions) {
    double sum = 0;
    for (Prediction p : predictions) {
      for (float q : p.probabilities()) {
        if (q > 0) {
          sum -= q * Math.log(q);
        }
      }
    }
    return sum / predictions.length;
  }
}
