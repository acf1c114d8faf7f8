package dev.daflow.bench;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.InputShape;
import dev.daflow.ml.train.CancellationToken;
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
 * writes the results as Markdown. Usage: {@code Benchmark DATASETS_DIR OUT.md
 * [full|quick|recheck|methods|validators|validators-quick] [COMMAND_LINE] [plan]} (the two
 * validator profiles are {@link ValidatorBenchmark}'s). Target labels are used only for the
 * reported test accuracy.
 */
public final class Benchmark {
  /** Where the platform's own measurements are (written by bench/platform.sh). */
  static final String PLATFORM_NOTE = "The platform's measurements (latency from a training"
      + " request to its start, inference throughput and p50/p99 latency served over HTTP"
      + " against in process, the GPU trainer) are in [benchmarks-platform.md]"
      + "(benchmarks-platform.md), made by `bench/platform.sh`. How well each label-free "
      + "validator tracks target accuracy over every checkpoint of every method, and the "
      + "`mnist-tex` pair (digits over photographs), are in [benchmarks-validators.md]"
      + "(benchmarks-validators.md), made by `bench/run.sh validators`.\n\n";


  /**
   * One row of the plan. {@code tuning} null reads as {@link Tuning#DEFAULT} (rows logged before
   * it existed).
   */
  record Run(String source, String target, Method method, String network, int epochs,
      int pretrainEpochs, int trainLimit, int batchSize, Augmentation augmentation, long seed,
      Tuning tuning) {
    Run {
      tuning = tuning == null ? Tuning.DEFAULT : tuning;
    }

    Run(String source, String target, Method method, String network, int epochs,
        int pretrainEpochs, int trainLimit) {
      this(source, target, method, network, epochs, pretrainEpochs, trainLimit, 128,
          Augmentation.NONE, 42, Tuning.DEFAULT);
    }

    Run withSeed(long s) {
      return new Run(source, target, method, network, epochs, pretrainEpochs, trainLimit,
          batchSize, augmentation, s, tuning);
    }
  }

  /**
   * Training pictures per domain of the MNIST-64 demo: its 64x64 RGB network trains at about 300
   * pictures/s on 2 cores, so the demo trains on the first 6,000 of each domain (the test splits
   * stay whole).
   */
  static final int MNIST64_PICTURES = 6000;

  /** The paper's DANN recipe with IWDAN's class weights on the domain loss. */
  static final Tuning CLASS_WEIGHTED = Tuning.DEFAULT.withClassWeighting(true);

  /** The paper's DANN recipe with the domain head learning at 10 times the rate. */
  static final Tuning STRONGER_ADVERSARY = Tuning.DEFAULT.withDomainLearningRateScale(10);

  /** Global gradient-norm bound of the MNIST-64 demo's runs (a common value; not tuned). */
  static final double MNIST64_CLIP = 5;

  /**
   * One measured run. {@code failure} is null for a run that completed, else what stopped it (for
   * instance a diverged loss); its numbers are then NaN.
   */
  record Row(Run run, double targetAcc, double sourceAcc, double seconds, double imagesPerSecond,
      String failure) {
    static Row failed(Run run, Exception e) {
      return new Row(run, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  public static void main(String[] args) throws IOException {
    Path datasets = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String profile = args.length > 2 ? args[2] : "full";
    String command = args.length > 3 ? args[3] : "bench/run.sh";
    if (profile.startsWith("validators") || profile.startsWith(ValidatorBenchmark.PROMOTION)) {
      if (!List.of("validators", "validators-quick", ValidatorBenchmark.PROMOTION,
          ValidatorBenchmark.PROMOTION_MNIST64).contains(profile)) {
        throw new IllegalArgumentException("unknown profile '" + profile + "': validators, "
            + "validators-quick, promotion or promotion-mnist64");
      }
      ValidatorBenchmark.main(datasets, out, profile, command, args.length > 4 ? args[4] : null);
      return;
    }
    DatasetCatalog catalog = new DatasetCatalog(datasets, DatasetCatalog.defaultCache());
    List<Run> plan = plan(profile, catalog);

    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Made by `").append(command).append("` on ").append(LocalDate.now())
        .append(" (profile `").append(profile).append("`).\n\n");
    md.append("Machine: ").append(Machine.describe()).append("\n\n");
    md.append(PLATFORM_NOTE);

    // The step-speed section is bench/speed.sh's: kept as it is.
    String speed = Files.exists(out) ? SpeedBenchmark.section(Files.readString(out)) : null;
    if (!profile.equals("recheck") && !profile.equals("methods")) {
      md.append(speed != null ? speed + "\n" : "## DANN training step speed\n\nNot measured "
          + "yet: `bench/speed.sh` writes this section.\n\n");
    }
    md.append("\n## Accuracy\n\nTarget and source test accuracy of the last epoch (no model "
        + "selection). Epochs: of the main phase; ADDA and SHOT-IM add their source pretraining "
        + "epochs (`pre`). "
        + "Wall time covers training only; img/s counts source+target training pictures.\n\n");
    md.append("| source -> target | method | network | train pictures/domain | batch | augment "
        + "| tuning | seed | epochs | target acc | source acc | wall s | train img/s |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    // Rows already measured by an earlier, interrupted run of this profile are kept (delete the
    // rows file to measure everything again); each new row is added as soon as it is measured.
    Path rowsFile = out.resolveSibling("benchmarks-" + profile + ".rows.jsonl");
    Map<Run, Row> done = RowLog.read(rowsFile);
    List<Row> rows = new ArrayList<>();
    for (Run r : plan) {
      if (done.containsKey(r)) {
        Row row = done.get(r);
        rows.add(row);
        md.append(line(row));
        System.out.print("kept " + line(row));
        continue;
      }
      TrainingConfig c = TrainingConfig.defaults(r.method(), r.network()).withEpochs(r.epochs())
          .withBatchSize(r.batchSize()).withAugmentation(r.augmentation()).withSeed(r.seed())
          .withTuning(r.tuning());
      if (r.method().usesPretraining()) {
        c = c.withPretrainEpochs(r.pretrainEpochs());
      }
      System.out.printf("running %s -> %s %s (%d epochs)%n", r.source(), r.target(),
          r.method().id(), c.totalEpochs());
      Row row;
      try {
        JobResult res = new JobRunner(catalog).run(new JobSpec(r.source(), r.target(), c,
            r.trainLimit()), new EpochPrinter(), CancellationToken.none(), null);
        row = new Row(r, res.targetTest().accuracy(), res.sourceTest().accuracy(),
            res.training().seconds(), res.training().imagesPerSecond(), null);
      } catch (ArithmeticException | IllegalStateException e) {
        // A run that diverges is a result too: record it and go on with the plan.
        row = Row.failed(r, e);
      }
      rows.add(row);
      RowLog.append(rowsFile, row);
      md.append(line(row));
      System.out.print(line(row));
      Files.createDirectories(out.toAbsolutePath().getParent());
      BenchPages.writeKeepingNotes(out, md + "\n_(incomplete: run in progress)_\n");
    }
    if (!catalog.hasRealSvhn()) {
      md.append("\nSVHN -> MNIST: not run, the real SVHN files are not present in the dataset "
          + "folder (only the small `svhn-format` stand-in).\n");
    }
    long kept = plan.stream().filter(done::containsKey).count();
    if (kept > 0) {
      md.append("\n").append(kept).append(" of the ").append(plan.size()).append(" accuracy rows "
          + "were measured by an earlier run of the same command and kept from `")
          .append(rowsFile.getFileName()).append("`; the speed table is from this run.\n");
    }
    if (profile.equals("recheck")) {
      md.append(Recheck.against(rows,
          RowLog.read(out.resolveSibling("benchmarks-full.rows.jsonl"))));
    } else if (!profile.equals("methods")) {
      md.append(Targets.check(rows));
    }
    BenchPages.writeKeepingNotes(out, md.toString());
    System.out.println("wrote " + out);
  }

  /** The table line of one row. */
  static String line(Row row) {
    Run r = row.run();
    String epochs = r.method().usesPretraining() ? r.epochs() + " (+" + r.pretrainEpochs()
        + " pre)" : String.valueOf(r.epochs());
    String head = String.format(Locale.ROOT, "| %s -> %s | %s | %s | %s | %d | %s | %s | %d | %s ",
        r.source(), r.target(), r.method().id(), r.network(),
        r.trainLimit() == 0 ? "all" : String.valueOf(r.trainLimit()), r.batchSize(),
        r.augmentation().name().toLowerCase(Locale.ROOT), tuning(r.tuning()), r.seed(), epochs);
    if (row.failure() != null) {
      return head + "| failed: " + row.failure().replace('|', '/') + " | - | - | - |\n";
    }
    return head + String.format(Locale.ROOT, "| %.4f | %.4f | %.0f | %.0f |%n", row.targetAcc(),
        row.sourceAcc(), row.seconds(), row.imagesPerSecond());
  }

  /** The tuning column: {@code -} for the papers' recipe, else what departs from it. */
  static String tuning(Tuning t) {
    List<String> parts = new ArrayList<>();
    if (t.solver() != Tuning.DEFAULT.solver()) {
      parts.add(t.solver().name().toLowerCase(Locale.ROOT));
    }
    if (t.clipNorm() > 0) {
      parts.add("clip " + plain(t.clipNorm()));
    }
    if (t.lambdaMax() != Tuning.DEFAULT.lambdaMax()) {
      parts.add("lambda max " + plain(t.lambdaMax()));
    }
    if (t.classWeighting()) {
      parts.add("class weights");
    }
    if (t.domainLearningRateScale() != Tuning.DEFAULT.domainLearningRateScale()) {
      parts.add("domain lr x" + plain(t.domainLearningRateScale()));
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /**
   * The runs. Source-only on USPS (7,291 pictures) runs 25 epochs so that it takes as many steps
   * as the adapted runs, whose epochs count the larger domain (3 x 469 steps). ADDA pretrains its
   * source encoder for 2 MNIST epochs or 10 USPS epochs. The {@code quick} profile trains on 3,000
   * pictures per domain, as a smoke test of the script. The MNIST-64 demo trains with colour
   * augmentation of the source (its target inverts the digits' colours), source-only and DANN
   * with batch 64 so that SGD gets enough steps on its 6,000 pictures. All three methods of the
   * demo use the same network, {@code adda-mnist64-in} (instance normalisation: a picture's
   * per-channel brightness and contrast do not reach the features), and clip each step's gradient
   * norm at {@link #MNIST64_CLIP}: with the plain network and no clipping, DANN's loss went to NaN
   * in its fourth epoch.
   */
  static List<Run> plan(String profile, DatasetCatalog catalog) {
    if (profile.equals("recheck")) {
      // After a change that should not move accuracy (issue 12's speed work): the full plan's
      // seed-42 MNIST -> USPS rows of source-only and DANN (the rows with three seeds, so seed
      // noise is known), to compare with the committed full rows.
      return plan("full", catalog).stream().filter(r -> r.seed() == 42
          && r.source().equals("mnist") && r.target().equals("usps")
          && r.method() != Method.ADDA && r.tuning().equals(Tuning.DEFAULT)).toList();
    }
    if (profile.equals("methods")) {
      return methodsPlan();
    }
    int limit = profile.equals("quick") ? 3000 : 0;
    List<Run> plan = new ArrayList<>();
    // MNIST -> USPS: source-only and DANN land within a few tenths of a point of each other, so
    // both run with three seeds.
    for (long seed : new long[] {42, 43, 44}) {
      plan.add(new Run("mnist", "usps", Method.SOURCE_ONLY, "lenet", 3, 0, limit).withSeed(seed));
      plan.add(new Run("mnist", "usps", Method.DANN, "lenet", 3, 0, limit).withSeed(seed));
    }
    // DANN with class weights (IWDAN): USPS's class proportions differ from MNIST's, which plain
    // DANN's marginal alignment does not allow for. Same recipe and seeds otherwise.
    for (long seed : new long[] {42, 43, 44}) {
      plan.add(new Run("mnist", "usps", Method.DANN, "lenet", 3, 0, limit, 128,
          Augmentation.NONE, seed, CLASS_WEIGHTED));
    }
    // DANN with its domain head at 10x the learning rate: a stronger adversary, chosen because
    // it brought the proxy A-distance down (0.89 -> 0.59, seed 42; docs/benchmarks.md notes).
    for (long seed : new long[] {42, 43, 44}) {
      plan.add(new Run("mnist", "usps", Method.DANN, "lenet", 3, 0, limit, 128,
          Augmentation.NONE, seed, STRONGER_ADVERSARY));
    }
    plan.add(new Run("mnist", "usps", Method.ADDA, "lenet", 3, 2, limit));
    plan.add(new Run("usps", "mnist", Method.SOURCE_ONLY, "lenet", 25, 0, limit));
    plan.add(new Run("usps", "mnist", Method.DANN, "lenet", 3, 0, limit));
    plan.add(new Run("usps", "mnist", Method.DANN, "lenet", 3, 0, limit, 128, Augmentation.NONE,
        42, CLASS_WEIGHTED));
    plan.add(new Run("usps", "mnist", Method.DANN, "lenet", 3, 0, limit, 128, Augmentation.NONE,
        42, STRONGER_ADVERSARY));
    plan.add(new Run("usps", "mnist", Method.ADDA, "lenet", 3, 10, limit));
    int limit64 = limit > 0 ? limit : MNIST64_PICTURES;
    Tuning clipped = Tuning.DEFAULT.withClipNorm(MNIST64_CLIP);
    plan.add(new Run("mnist64", "mnist64-bg", Method.SOURCE_ONLY, "adda-mnist64-in", 10, 0,
        limit64, 64, Augmentation.COLOUR, 42, clipped));
    plan.add(new Run("mnist64", "mnist64-bg", Method.DANN, "adda-mnist64-in", 10, 0, limit64,
        64, Augmentation.COLOUR, 42, clipped));
    plan.add(new Run("mnist64", "mnist64-bg", Method.ADDA, "adda-mnist64-in", 3, 5, limit64,
        128, Augmentation.COLOUR, 42, clipped));
    if (catalog.hasRealSvhn()) {
      plan.add(new Run("svhn", "mnist", Method.SOURCE_ONLY, "dann-svhn", 3, 0, limit));
      plan.add(new Run("svhn", "mnist", Method.DANN, "dann-svhn", 3, 0, limit));
    }
    return plan;
  }

  /**
   * The {@code methods} profile: every method with its recipe on MNIST -> USPS and USPS -> MNIST
   * ({@code lenet}, 3 epochs, seed 42, every picture; the methods that pretrain on the source do
   * so for 2 epochs first), to compare the methods of docs/methods.md with each other.
   */
  static List<Run> methodsPlan() {
    List<Run> plan = new ArrayList<>();
    for (String[] pair : new String[][] {{"mnist", "usps"}, {"usps", "mnist"}}) {
      for (Method m : Method.values()) {
        plan.add(new Run(pair[0], pair[1], m, "lenet", 3, m.usesPretraining() ? 2 : 0, 0));
      }
    }
    return plan;
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
