package dev.daflow.bench;

import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.InputShape;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.Method;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.ml.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs every (pair, method) of the benchmark plan and the raw DANN-step speed measurement, and
 * writes the results as Markdown. Usage: {@code Benchmark DATASETS_DIR OUT.md [quick|full]
 * [COMMAND_LINE]}. Target labels are used only for the reported test accuracy.
 */
public final class Benchmark {

  /** One row of the plan. */
  record Run(String source, String target, Method method, String network, int epochs,
      int pretrainEpochs, int trainLimit) {}

  record Row(Run run, double targetAcc, double sourceAcc, double seconds, double imagesPerSecond) {}

  public static void main(String[] args) throws IOException {
    Path datasets = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String profile = args.length > 2 ? args[2] : "quick";
    String command = args.length > 3 ? args[3] : "bench/run.sh";
    DatasetCatalog catalog = new DatasetCatalog(datasets, DatasetCatalog.defaultCache());
    List<Run> plan = plan(profile, catalog);

    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Made by `").append(command).append("` on ").append(LocalDate.now())
        .append(" (profile `").append(profile).append("`).\n\n");
    md.append("Machine: ").append(Machine.describe()).append("\n\n");

    // Speed first, on a quiet machine.
    md.append("## DANN training step speed\n\n");
    md.append("Source+target pictures per second through one DANN step (forward, backward, SGD "
        + "update), batch 128+128, after warm-up; synthetic inputs of the network's shape.\n\n");
    md.append("| network | input | DANN step img/s | ms/step |\n|---|---|---|---|\n");
    for (String net : List.of("lenet", "dann-svhn")) {
      double[] s = dannStepSpeed(Architectures.byName(net), net.equals("lenet") ? 40 : 6);
      md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f |%n", net,
          Architectures.byName(net).input(), s[0], s[1]));
      System.out.printf(Locale.ROOT, "speed %s: %.0f img/s%n", net, s[0]);
    }

    md.append("\n## Accuracy\n\nTarget and source test accuracy of the last epoch (no model "
        + "selection). Epochs: of the main phase; ADDA adds its pretraining epochs (`pre`). "
        + "Wall time covers training only; img/s counts source+target training pictures.\n\n");
    md.append("| source -> target | method | network | train pictures/domain | epochs | target "
        + "acc | source acc | wall s | train img/s |\n|---|---|---|---|---|---|---|---|---|\n");
    List<Row> rows = new ArrayList<>();
    for (Run r : plan) {
      TrainingConfig c = TrainingConfig.defaults(r.method(), r.network()).withEpochs(r.epochs());
      if (r.method() == Method.ADDA) {
        c = c.withPretrainEpochs(r.pretrainEpochs());
      }
      System.out.printf("running %s -> %s %s (%d epochs)%n", r.source(), r.target(),
          r.method().id(), c.totalEpochs());
      JobResult res = new JobRunner(catalog).run(new JobSpec(r.source(), r.target(), c,
          r.trainLimit()), new EpochPrinter(), CancellationToken.none(), null);
      Row row = new Row(r, res.targetTest().accuracy(), res.sourceTest().accuracy(),
          res.training().seconds(), res.training().imagesPerSecond());
      rows.add(row);
      String epochs = r.method() == Method.ADDA ? r.epochs() + " (+" + r.pretrainEpochs()
          + " pre)" : String.valueOf(r.epochs());
      String line = String.format(Locale.ROOT, "| %s -> %s | %s | %s | %s | %s | %.4f | %.4f | "
              + "%.0f | %.0f |%n", r.source(), r.target(), r.method().id(), r.network(),
          r.trainLimit() == 0 ? "all" : String.valueOf(r.trainLimit()), epochs, row.targetAcc(),
          row.sourceAcc(), row.seconds(), row.imagesPerSecond());
      md.append(line);
      System.out.print(line);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md + "\n_(incomplete: run in progress)_\n");
    }
    if (!catalog.hasRealSvhn()) {
      md.append("\nSVHN -> MNIST: not run, the real SVHN files are not present in the dataset "
          + "folder (only the small `svhn-format` stand-in).\n");
    }
    Files.writeString(out, md.toString());
    System.out.println("wrote " + out);
  }

  static List<Run> plan(String profile, DatasetCatalog catalog) {
    boolean full = profile.equals("full");
    int e = full ? 10 : 3;
    List<Run> plan = new ArrayList<>();
    for (String[] pair : new String[][] {{"mnist", "usps"}, {"usps", "mnist"}}) {
      plan.add(new Run(pair[0], pair[1], Method.SOURCE_ONLY, "lenet", e, 0, 0));
      plan.add(new Run(pair[0], pair[1], Method.DANN, "lenet", e, 0, 0));
      plan.add(new Run(pair[0], pair[1], Method.ADDA, "lenet", e, full ? 5 : 2, 0));
    }
    int limit64 = full ? 0 : 6000;
    plan.add(new Run("mnist64", "mnist64-bg", Method.SOURCE_ONLY, "adda-mnist64", e, 0, limit64));
    plan.add(new Run("mnist64", "mnist64-bg", Method.DANN, "adda-mnist64", e, 0, limit64));
    plan.add(new Run("mnist64", "mnist64-bg", Method.ADDA, "adda-mnist64", e, 2, limit64));
    if (catalog.hasRealSvhn()) {
      plan.add(new Run("svhn", "mnist", Method.SOURCE_ONLY, "dann-svhn", e, 0, 0));
      plan.add(new Run("svhn", "mnist", Method.DANN, "dann-svhn", e, 0, 0));
    }
    return plan;
  }

  /** Mean pictures/s and ms of {@code steps} DANN steps after three warm-up steps. */
  static double[] dannStepSpeed(Architecture arch, int steps) {
    int b = 128;
    SameDiff sd = Graphs.dann(arch, 1);
    InputShape in = arch.input();
    Nd4j.getRandom().setSeed(1);
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(Graphs.X, Nd4j.rand(DataType.FLOAT, 2 * b, in.channels(), in.height(), in.width()));
    INDArray y = Nd4j.zeros(DataType.FLOAT, 2 * b, arch.classes());
    INDArray d = Nd4j.zeros(DataType.FLOAT, 2 * b, 2);
    for (int i = 0; i < 2 * b; i++) {
      if (i < b) {
        y.putScalar(i, i % arch.classes(), 1f);
      }
      d.putScalar(i, i < b ? 0 : 1, 1f);
    }
    ph.put(Graphs.Y, y);
    ph.put(Graphs.DOMAIN, d);
    ph.put(Graphs.LAMBDA, Nd4j.scalar(0.5f));
    arch.dropoutMasks(Graphs.ENCODER, Graphs.CLASSIFIER).forEach((name, width) ->
        ph.put(name, Nd4j.ones(DataType.FLOAT, 2 * b, width)));
    List<String> params = Graphs.trainable(sd);
    var sgd = new dev.daflow.ml.train.SgdMomentum(0.9, 1e-5);
    long start = 0;
    for (int i = 0; i < steps + 3; i++) {
      if (i == 3) {
        start = System.nanoTime();
      }
      Map<String, INDArray> g = sd.calculateGradients(ph, params);
      for (String p : params) {
        sgd.update(p, sd.getArrForVarName(p), g.get(p), 1e-3);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new double[] {steps * 2.0 * b / seconds, 1000 * seconds / steps};
  }

  /** Prints one line per epoch. */
  static final class EpochPrinter implements TrainingListener {
    @Override
    public void onEpochEnd(Epoch e) {
      System.out.printf(Locale.ROOT, "  epoch %d %s %s %.0fs %.0f img/s%n", e.epoch(), e.phase(),
          e.meanLosses(), e.seconds(), e.imagesPerSecond());
    }
  }
}
