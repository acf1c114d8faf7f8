package dev.daflow.bench;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.daflow.bench.Benchmark.Run;
import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Network;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.SourceHoldout;
import dev.daflow.ml.eval.Evaluator;
import dev.daflow.ml.eval.LabelFreeValidation;
import dev.daflow.ml.eval.Validator;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.model.Checksums;
import dev.daflow.ml.model.ModelCard;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.TargetPictures;
import dev.daflow.ml.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The validator table (issue 13, section 3): trains every run of a plan, measures every epoch's
 * model as evaluator-service measures a bundle (every label-free validator of {@link
 * LabelFreeValidation}, on the first {@link LabelFreeValidation#DEFAULT_TARGET_PICTURES} target
 * training pictures without labels and on the source pictures the run held out, recomputed from
 * the model card as the evaluator does; ClassAMI seeded with {@link LabelFreeValidation#SEED}) and
 * its target test accuracy, then writes, per validator, its Spearman rank correlation with the
 * target accuracy and the accuracy that choosing by it loses against the oracle ({@link
 * ValidatorStats}).
 *
 * <p>The {@code promotion} profile runs the same measurement on a second plan, the platform's
 * defaults (its recipe's epochs) on MNIST <-> USPS, to judge each pair by the model the default
 * promotion policy picks ({@link #promoted}); {@code promotion-mnist64} does the same for the
 * MNIST-64 demo pair at the demo's recipe ({@link #mnist64PromotionPlan}).
 *
 * <p>Usage: {@code Benchmark DATASETS OUT.md
 * validators|validators-quick|promotion|promotion-mnist64 [COMMAND] [plan|report]}; the raw
 * checkpoints go to {@code OUT} with {@code .rows.jsonl} for {@code .md}. A run's checkpoints
 * are appended when the run ends, so an interrupted benchmark resumes with the first run it had
 * not finished. With {@code plan} it prints the plan and its size and trains nothing.
 */
final class ValidatorBenchmark {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Seeds of the validator plan: two per run, declared before any run. */
  static final long[] SEEDS = {42, 43};
  /** Epochs of every run's main phase. */
  static final int EPOCHS = 3;
  /** Source pretraining epochs of the methods that pretrain (ADDA, SHOT-IM, SHOT). */
  static final int PRETRAIN_EPOCHS = 2;
  /**
   * Training pictures per domain of the {@code mnist-tex} pair: its runs take the first 10,000
   * (test splits whole); a cost bound, chosen before any run.
   */
  static final int TEX_PICTURES = 10_000;

  /**
   * Sizes of a plan's measurements.
   *
   * @param testPictures target test pictures each checkpoint's accuracy is measured on (0: all)
   * @param validatorPictures target training pictures the validators run on
   */
  record Limits(int testPictures, int validatorPictures) {}

  static final Limits FULL = new Limits(0, LabelFreeValidation.DEFAULT_TARGET_PICTURES);
  static final Limits QUICK = new Limits(500, 300);

  private ValidatorBenchmark() {}

  /**
   * The pairs and their networks, each the platform's default for the pair ({@code
   * Network.defaultFor}): {@code lenet} for the grey digit pairs, {@code dann-mnistm} for the
   * colour one.
   */
  static final String[][] PAIRS = {
      {"mnist", "usps", "lenet"}, {"usps", "mnist", "lenet"},
      {"mnist", BenchDatasets.MNIST_TEX, "dann-mnistm"}};

  /**
   * The {@code validators} plan, declared up front and chosen without target labels: every
   * method of docs/methods.md ({@link Method#values()}) on MNIST -> USPS, USPS -> MNIST (all
   * pictures, {@code lenet}) and MNIST -> {@code mnist-tex} ({@value #TEX_PICTURES} pictures per
   * domain, {@code dann-mnistm}), seeds 42 and 43, {@value #EPOCHS} epochs (plus {@value
   * #PRETRAIN_EPOCHS} of source pretraining for the methods that have it), each method's recipe
   * and the network's default tuning, batch 128, no augmentation. The {@code validators-quick}
   * profile: the same pairs and methods, seed 42, 2 epochs (1 of pretraining), 300 training
   * pictures per domain.
   */
  static List<Run> plan(String profile) {
    if (profile.equals(PROMOTION)) {
      return promotionPlan();
    }
    if (profile.equals(PROMOTION_MNIST64)) {
      return mnist64PromotionPlan();
    }
    boolean quick = profile.equals("validators-quick");
    List<Run> plan = new ArrayList<>();
    for (String[] pair : PAIRS) {
      int limit = quick ? 300 : pair[1].equals(BenchDatasets.MNIST_TEX) ? TEX_PICTURES : 0;
      for (long seed : quick ? new long[] {42} : SEEDS) {
        for (Method m : Method.values()) {
          int pre = m.usesPretraining() ? (quick ? 1 : PRETRAIN_EPOCHS) : 0;
          plan.add(new Run(pair[0], pair[1], m, pair[2], quick ? 2 : EPOCHS, pre, limit, 128,
              Augmentation.NONE, seed, Network.byId(pair[2]).defaultTuning()));
        }
      }
    }
    return plan;
  }

  /** The profile that judges pairs by the model label-free promotion picks. */
  static final String PROMOTION = "promotion";

  /** The pairs of the {@code promotion} plan: the harder direction first. */
  static final String[][] PROMOTION_PAIRS = {{"usps", "mnist", "lenet"}, {"mnist", "usps",
      "lenet"}};

  /**
   * The {@code promotion} plan, declared before any run and chosen without target labels: what a
   * user gets who leaves every training option out, i.e. every method with its full recipe
   * ({@link TrainingConfig#defaults}: its epochs, pretraining epochs, batch, learning rate and
   * seed 42; the network's default tuning), on USPS -> MNIST and MNIST -> USPS, every picture,
   * {@code lenet} (the platform's default network for the pair). One seed: a bound on the cost
   * (some 10 minutes per run on 2 cores).
   */
  static List<Run> promotionPlan() {
    List<Run> plan = new ArrayList<>();
    for (String[] pair : PROMOTION_PAIRS) {
      for (Method m : Method.values()) {
        plan.add(defaultsRun(pair[0], pair[1], m, pair[2]));
      }
      // Jobs declared after the plan's first runs, after the pair's methods (the evaluator's
      // order: a later job replaces the serving version only when strictly better).
      for (String[] job : PROMOTION_DECLARED) {
        plan.add(defaultsRun(pair[0], pair[1], Method.parse(job[0]), job[1]));
      }
    }
    return plan;
  }

  /**
   * Jobs added to the {@code promotion} plan after its first runs, each declared before it ran,
   * on principle, never on a target label: 2026-12-05, the mean teacher on {@code lenet-bn}, the
   * batch-normalised network with per-domain statistics, the kind of network French et al.
   * (2018) trained their MNIST&lt;-&gt;USPS results with. The promoted model is chosen across
   * these and the methods' runs alike.
   */
  static final String[][] PROMOTION_DECLARED = {{"mean-teacher", "lenet-bn"}};

  /** The profile that judges the MNIST-64 demo pair by the model label-free promotion picks. */
  static final String PROMOTION_MNIST64 = "promotion-mnist64";

  /** Epochs of every run of the {@code promotion-mnist64} plan: a bound on the cost. */
  static final int MNIST64_EPOCHS = 3;

  /**
   * The {@code promotion-mnist64} plan, declared on 2026-12-05 before any run and chosen without
   * target labels: the MNIST-64 demo pair ({@code mnist64 -> mnist64-bg}) on every training
   * picture (the demo's 6,000 per domain are a time-saving cut; the platform's default is all),
   * otherwise the demo's recipe ({@code adda-mnist64-in}, gradient norm clipped at {@value
   * Benchmark#MNIST64_CLIP}, colour augmentation, batch 64, ADDA batch 128), {@value
   * #MNIST64_EPOCHS} epochs (ADDA after {@value #PRETRAIN_EPOCHS} of source pretraining), seed
   * 42. Source-only (the baseline), DANN, CDAN+E (Long et al. 2018, above DANN on every digit
   * pair they report) and ADDA (the demo's reference), in that order: the evaluator's order of
   * jobs. Other methods are left out for cost (some 22 minutes per adapted run on 2 cores).
   */
  static List<Run> mnist64PromotionPlan() {
    Tuning clipped = Tuning.DEFAULT.withClipNorm(Benchmark.MNIST64_CLIP);
    List<Run> plan = new ArrayList<>();
    for (Method m : List.of(Method.SOURCE_ONLY, Method.DANN, Method.CDAN_E, Method.ADDA)) {
      plan.add(new Run("mnist64", "mnist64-bg", m, "adda-mnist64-in", MNIST64_EPOCHS,
          m.usesPretraining() ? PRETRAIN_EPOCHS : 0, 0, m == Method.ADDA ? 128 : 64,
          Augmentation.COLOUR, 42, clipped));
    }
    return plan;
  }

  /** One run of {@code method} on {@code network} with the platform's defaults. */
  private static Run defaultsRun(String source, String target, Method m, String network) {
    TrainingConfig c = TrainingConfig.defaults(m, network);
    return new Run(source, target, m, network, c.epochs(),
        m.usesPretraining() ? c.pretrainEpochs() : 0, 0, c.batchSize(), c.augmentation(),
        c.seed(), c.tuning());
  }

  /** Checkpoints a run yields: one per epoch of every phase. */
  static int checkpoints(Run r) {
    return r.epochs() + (r.method().usesPretraining() ? r.pretrainEpochs() : 0);
  }

  static void main(Path datasets, Path out, String profile, String command, String mode)
      throws IOException {
    if (mode != null && !mode.equals("plan") && !mode.equals("report")) {
      throw new IllegalArgumentException("unknown mode '" + mode + "': plan, report or none");
    }
    boolean planOnly = "plan".equals(mode);
    boolean reportOnly = "report".equals(mode);
    List<Run> plan = plan(profile);
    Limits limits = profile.equals("validators-quick") ? QUICK : FULL;
    int total = plan.stream().mapToInt(ValidatorBenchmark::checkpoints).sum();
    System.out.printf("validator plan %s: %d runs, %d checkpoints%n", profile, plan.size(), total);
    if (planOnly) {
      for (Run r : plan) {
        System.out.printf("  %s -> %s %s %s seed %d, %s pictures/domain, %d checkpoints%n",
            r.source(), r.target(), r.method().id(), r.network(), r.seed(),
            r.trainLimit() == 0 ? "all" : String.valueOf(r.trainLimit()), checkpoints(r));
      }
      if (!Files.exists(out)) {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, planPage(profile, plan.size(), total, command));
        System.out.println("wrote the plan to " + out);
      }
      return;
    }
    BenchDatasets data = new BenchDatasets(datasets, DatasetCatalog.defaultCache());
    Path rowsFile = out.resolveSibling(out.getFileName().toString()
        .replaceFirst("\\.md$", "") + ".rows.jsonl");
    Map<Run, List<Checkpoint>> done = read(rowsFile);
    List<Checkpoint> all = new ArrayList<>();
    int run = 0;
    int missing = 0;
    for (Run r : plan) {
      run++;
      List<Checkpoint> rows = done.get(r);
      if (rows == null && reportOnly) {
        missing++;
        continue;
      }
      if (rows == null) {
        System.out.printf("run %d/%d: %s -> %s %s seed %d%n", run, plan.size(), r.source(),
            r.target(), r.method().id(), r.seed());
        rows = measure(data, r, limits);
        append(rowsFile, rows);
      } else {
        System.out.printf("run %d/%d kept from %s%n", run, plan.size(), rowsFile.getFileName());
      }
      all.addAll(rows);
    }
    String md = report(all, plan, profile, command, rowsFile.getFileName().toString(), limits);
    if (missing > 0) {
      // An interrupted benchmark, reported as far as it got: say so at the top.
      md = md.replaceFirst("\n\n", String.format(Locale.ROOT, "%n%n**Partial: %d of the plan's"
          + " %d runs measured so far** (`bench/run.sh %s` resumes with the next run; this page"
          + " was written from `%s` by `bench/run.sh %s report`). Every figure below is over"
          + " the measured runs only.%n%n", plan.size() - missing, plan.size(), profile,
          rowsFile.getFileName(), profile));
    }
    BenchPages.writeKeepingNotes(out, md);
    System.out.println(md);
    System.out.println("wrote " + out + " and " + rowsFile);
  }

  /** Trains one run and measures each epoch's model; a run that fails is one failure row. */
  static List<Checkpoint> measure(DatasetSource data, Run r, Limits limits) throws IOException {
    TrainingConfig c = TrainingConfig.defaults(r.method(), r.network()).withEpochs(r.epochs())
        .withBatchSize(r.batchSize()).withAugmentation(r.augmentation()).withSeed(r.seed())
        .withTuning(r.tuning());
    if (r.method().usesPretraining()) {
      c = c.withPretrainEpochs(r.pretrainEpochs());
    }
    JobSpec spec = new JobSpec(r.source(), r.target(), c, r.trainLimit());
    ImageDataset sourceTrain = data.load(r.source(), Split.TRAIN, r.trainLimit());
    ImageDataset targetTest = data.load(r.target(), Split.TEST, limits.testPictures());
    // As evaluator-service: the first pictures of the target's training split, labels dropped.
    TargetPictures target = TargetPictures.of(data.load(r.target(), Split.TRAIN,
        limits.validatorPictures()));
    List<Checkpoint> rows = new ArrayList<>();
    try {
      new JobRunner(data).train(spec, new Benchmark.EpochPrinter(), CancellationToken.none(), null,
          (epoch, model) -> {
            Map<String, Double> v = LabelFreeValidation.measure(model, target,
                heldOut(model.card(), sourceTrain), LabelFreeValidation.SEED);
            double acc = Evaluator.evaluate(model, targetTest).accuracy();
            System.out.printf(Locale.ROOT, "  checkpoint %d (%s): target acc %.4f %s%n",
                epoch.epoch() + 1, epoch.phase(), acc, v);
            rows.add(new Checkpoint(r, epoch.epoch() + 1, epoch.phase(), acc, v, null));
          });
    } catch (ArithmeticException | IllegalStateException e) {
      // A run that diverges is a result too: recorded, left out of the correlations.
      return List.of(new Checkpoint(r, 0, "-", Double.NaN, Map.of(),
          e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    return rows;
  }

  /**
   * The source pictures a model's job held out, recomputed from its card exactly as
   * evaluator-service's {@code ValidationPictures} does (the first {@code source.count} training
   * pictures, checked against the card's SHA-256, split by {@link SourceHoldout} with the card's
   * fraction and seed, the held-out part checked too); null when the card names none.
   */
  static ImageDataset heldOut(ModelCard card, ImageDataset sourceTrain) {
    if (card == null || card.sourceValidation() == null || card.source() == null) {
      return null;
    }
    ModelCard.SourceValidation held = card.sourceValidation();
    ImageDataset all = sourceTrain.count() == card.source().count() ? sourceTrain
        : sourceTrain.slice(0, card.source().count());
    if (!Checksums.of(all).equals(card.source().sha256())) {
      throw new IllegalStateException("the source pictures are not those the model card names");
    }
    ImageDataset heldOut = SourceHoldout.split(all, held.fraction(), held.seed()).heldOut();
    if (heldOut.count() != held.count() || !Checksums.of(heldOut).equals(held.sha256())) {
      throw new IllegalStateException("the recomputed held-out source pictures are not those the "
          + "model card names");
    }
    return heldOut;
  }

  static Map<Run, List<Checkpoint>> read(Path file) throws IOException {
    Map<Run, List<Checkpoint>> rows = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return rows;
    }
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        Checkpoint c = JSON.readValue(lines.get(i), Checkpoint.class);
        rows.computeIfAbsent(c.run(), k -> new ArrayList<>()).add(c);
      } catch (IOException e) {
        throw new IOException(file + " line " + (i + 1) + " is not a checkpoint row: "
            + e.getMessage(), e);
      }
    }
    return rows;
  }

  static void append(Path file, List<Checkpoint> rows) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder sb = new StringBuilder();
    for (Checkpoint c : rows) {
      sb.append(JSON.writeValueAsString(c)).append('\n');
    }
    Files.writeString(file, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The Markdown report of measured checkpoints. */
  static String report(List<Checkpoint> all, List<Run> plan, String profile, String command,
      String rowsName, Limits limits) {
    List<Checkpoint> ok = all.stream().filter(c -> c.failure() == null).toList();
    List<Checkpoint> failed = all.stream().filter(c -> c.failure() != null).toList();
    // Runs in plan order, each its checkpoints in epoch order.
    Map<Run, List<Checkpoint>> byRun = new LinkedHashMap<>();
    for (Checkpoint c : ok) {
      byRun.computeIfAbsent(c.run(), k -> new ArrayList<>()).add(c);
    }
    List<List<Checkpoint>> runs = new ArrayList<>(byRun.values());
    List<String> pairs = ok.stream().map(Checkpoint::pair).distinct().toList();
    // Groups for choosing across methods: one pair and seed, every method's run.
    Map<String, List<List<Checkpoint>>> groups = new LinkedHashMap<>();
    for (List<Checkpoint> r : runs) {
      Run run = r.get(0).run();
      groups.computeIfAbsent(r.get(0).pair() + " seed " + run.seed(), k -> new ArrayList<>())
          .add(r);
    }

    StringBuilder md = new StringBuilder(title(profile));
    md.append("Made by `").append(command).append("` on ").append(LocalDate.now())
        .append(" (profile `").append(profile).append("`). Machine: ")
        .append(Machine.describe()).append(". Raw rows, one per checkpoint: `").append(rowsName)
        .append("`.\n\n");
    md.append(String.format(Locale.ROOT, "%d checkpoints (every epoch of %d runs: %d %s x "
        + "methods x seeds) measured as evaluator-service measures a bundle: validators on the "
        + "first %d target training pictures without labels and on the source pictures each run "
        + "held out (never a test split); target test accuracy on %s of the target's test "
        + "pictures, for this report only. %d of the plan's %d runs failed (below).%n%n",
        ok.size(), runs.size(), pairs.size(), pairs.size() == 1 ? "pair" : "pairs",
        limits.validatorPictures(),
        limits.testPictures() == 0 ? "all" : "the first " + limits.testPictures(),
        failed.size(), plan.size()));
    md.append("**Reading the table.** rho: Spearman rank correlation (ties at mean rank) between "
        + "the validator, oriented so that higher means better (entropy and DEV negated), and "
        + "target test accuracy: 1 ranks models exactly as their accuracy does. *All*: over every "
        + "checkpoint of every pair (across pairs it mixes easy and hard targets); *per pair*: "
        + "the mean over pairs of the rho within a pair; *within run*: the mean over runs of "
        + "the rho over a run's epochs. Loss (accuracy points, oracle minus chosen): *epoch*: "
        + "choosing a run's epoch by the validator, as a promotion policy does within a job "
        + "(mean / worst run); *method*: choosing among every method's run of a pair and seed, "
        + "as a policy does across jobs (mean / worst pair and seed), against the best "
        + "checkpoint of any method. Choosing follows the evaluator's rules: a collapsed model "
        + "only when all are, a missing value never wins, ties to the later epoch; across "
        + "runs a tie keeps the earlier run, and by `source_val_accuracy` a difference within "
        + "1.96 standard errors of the held-out accuracy is a tie that the lower `dev` decides "
        + "(`HeldOutComparison`).\n\n");
    md.append("| validator | better | checkpoints | rho all | rho per pair | rho within run "
        + "| loss epoch mean / worst | loss method mean / worst |\n"
        + "|---|---|---|---|---|---|---|---|\n");
    for (Validator v : Validator.values()) {
      List<Checkpoint> m = ValidatorStats.measured(ok, v);
      double perPair = ValidatorStats.mean(pairs.stream().mapToDouble(p -> ValidatorStats.rho(
          ok.stream().filter(c -> c.pair().equals(p)).toList(), v)).toArray());
      double withinRun = ValidatorStats.mean(runs.stream()
          .mapToDouble(r -> ValidatorStats.rho(r, v)).toArray());
      double[] epochLoss = ValidatorStats.withinRunLosses(runs, r -> ValidatorStats.choose(r, v));
      double[] methodLoss = groups.values().stream()
          .mapToDouble(g -> ValidatorStats.acrossRunsLoss(g, v)).toArray();
      md.append(String.format(Locale.ROOT, "| `%s` | %s | %d | %s | %s | %s | %s / %s | %s / %s |%n",
          v.key(), v.higherIsBetter() ? "higher" : "lower", m.size(),
          f2(ValidatorStats.rho(ok, v)), f2(perPair), f2(withinRun),
          pts(ValidatorStats.mean(epochLoss)), pts(ValidatorStats.max(epochLoss)),
          pts(ValidatorStats.mean(methodLoss)), pts(ValidatorStats.max(methodLoss))));
    }
    double[] lastLoss = ValidatorStats.withinRunLosses(runs, r -> r.get(r.size() - 1));
    double[] randomMethod = groups.values().stream().mapToDouble(g -> g.stream()
        .mapToDouble(ValidatorStats::oracle).max().orElse(Double.NaN) - g.stream()
        .mapToDouble(r -> r.get(r.size() - 1).targetAcc()).average().orElse(Double.NaN))
        .toArray();
    md.append(String.format(Locale.ROOT, "| last epoch (policy `final`) | - | %d | - | - | - "
        + "| %s / %s | %s / %s |%n", ok.size(), pts(ValidatorStats.mean(lastLoss)),
        pts(ValidatorStats.max(lastLoss)), pts(ValidatorStats.mean(randomMethod)),
        pts(ValidatorStats.max(randomMethod))));
    md.append("\nThe last line: the last epoch of each run; across methods, a method's last "
        + "epoch at random (the expected loss).\n");
    md.append("\n").append(leaders(ok, runs, groups)).append("\n");
    md.append("\n").append(promoted(groups));

    md.append("\n## Per pair\n\nrho within the pair, and the loss when choosing among the "
        + "pair's methods (mean over seeds), in accuracy points.\n\n| validator |");
    for (String p : pairs) {
      md.append(" ").append(p).append(" rho | ").append(p).append(" loss |");
    }
    md.append("\n|---|").append("---|---|".repeat(pairs.size())).append("\n");
    for (Validator v : Validator.values()) {
      md.append("| `").append(v.key()).append("` |");
      for (String p : pairs) {
        double rho = ValidatorStats.rho(ok.stream().filter(c -> c.pair().equals(p)).toList(), v);
        double loss = ValidatorStats.mean(groups.entrySet().stream()
            .filter(e -> e.getKey().startsWith(p + " seed "))
            .mapToDouble(e -> ValidatorStats.acrossRunsLoss(e.getValue(), v)).toArray());
        md.append(" ").append(f2(rho)).append(" | ").append(pts(loss)).append(" |");
      }
      md.append("\n");
    }

    md.append("\n## Runs\n\nTarget test accuracy per epoch (oracle = best epoch) and the epoch "
        + "each validator chooses.\n\n| run | target acc by epoch | ")
        .append(java.util.Arrays.stream(Validator.values()).map(v -> "`" + v.key() + "`")
            .collect(Collectors.joining(" | ")))
        .append(" |\n|---|---|").append("---|".repeat(Validator.values().length)).append("\n");
    List<Run> measured = runs.stream().map(r -> r.get(0).run()).toList();
    for (List<Checkpoint> r : runs) {
      Run run = r.get(0).run();
      md.append(String.format(Locale.ROOT, "| %s %s seed %d | %s |", r.get(0).pair(),
          label(run, measured), run.seed(), r.stream().map(c -> String.format(Locale.ROOT, "%.4f%s",
              c.targetAcc(), c.collapsed() ? " (collapsed)" : "")).collect(Collectors.joining(", "))));
      for (Validator v : Validator.values()) {
        md.append(" ").append(ValidatorStats.choose(r, v).epoch()).append(" |");
      }
      md.append("\n");
    }
    md.append("\n## The plan, declared before any run\n\n").append(planText(profile))
        .append("\n\n").append(profile.startsWith(PROMOTION) ? "" : texText());
    if (!failed.isEmpty()) {
      md.append("\n## Failed runs\n\n");
      for (Checkpoint c : failed) {
        md.append("- ").append(c.pair()).append(' ').append(c.run().method().id())
            .append(" seed ").append(c.run().seed()).append(": ")
            .append(c.failure().replace('|', '/')).append('\n');
      }
    }
    return md.toString();
  }

  /** The page before any measurement: the plan, its size and the datasets. */
  static String planPage(String profile, int runs, int checkpoints, String command) {
    return title(profile)
        + "**Not measured yet.** `" + command + "` trains the plan below (" + runs + " runs, "
        + checkpoints + " checkpoints; some hours on 2 cores, so on a quiet machine), "
        + "measures every checkpoint and replaces this page with the table: for each "
        + "label-free validator of docs/evaluation.md, its Spearman rank correlation with the "
        + "target test accuracy and the accuracy that choosing by it loses against the oracle. "
        + "This page was written by `" + command + " plan`, which trains nothing.\n\n"
        + "## The plan, declared before any run\n\n" + planText(profile) + "\n\n"
        + (profile.startsWith(PROMOTION) ? "" : texText());
  }

  /**
   * Which validator loses least choosing a run's epoch and choosing among methods (mean loss),
   * and which correlates best within pairs: the facts a default promotion policy is chosen from.
   */
  static String leaders(List<Checkpoint> ok, List<List<Checkpoint>> runs,
      Map<String, List<List<Checkpoint>>> groups) {
    Validator byEpoch = null;
    Validator byMethod = null;
    double epochBest = Double.POSITIVE_INFINITY;
    double methodBest = Double.POSITIVE_INFINITY;
    for (Validator v : Validator.values()) {
      if (ValidatorStats.measured(ok, v).isEmpty()) {
        continue; // never computed: choosing by it would be choosing the last epoch
      }
      double e = ValidatorStats.mean(ValidatorStats.withinRunLosses(runs,
          r -> ValidatorStats.choose(r, v)));
      double m = ValidatorStats.mean(groups.values().stream()
          .mapToDouble(g -> ValidatorStats.acrossRunsLoss(g, v)).toArray());
      if (e < epochBest) {
        epochBest = e;
        byEpoch = v;
      }
      if (m < methodBest) {
        methodBest = m;
        byMethod = v;
      }
    }
    if (byEpoch == null || byMethod == null) {
      return "No validator could be compared (no checkpoints).";
    }
    return String.format(Locale.ROOT, "Least mean loss choosing a run's epoch: `%s` (%.2f "
        + "points); choosing among methods: `%s` (%.2f points).", byEpoch.key(), 100 * epochBest,
        byMethod.key(), 100 * methodBest);
  }

  /**
   * What the default promotion policy ({@link Validator#DEFAULT_POLICY}) promotes for each pair
   * and seed if every method's run were a job of one model, as the evaluator decides: within a
   * run the checkpoint the validator rates best, across runs the best of those; against the
   * source-only run's own pick and the best checkpoint of any run (the oracle).
   */
  static String promoted(Map<String, List<List<Checkpoint>>> groups) {
    Validator v = Validator.named(Validator.DEFAULT_POLICY).orElseThrow();
    StringBuilder md = new StringBuilder("## What the default policy promotes\n\nThe default "
        + "promotion policy, `" + Validator.DEFAULT_POLICY + "` (docs/evaluation.md), as if every"
        + " method's run of a pair and seed were a job of one model: within each run the epoch"
        + " it rates best, across the runs the best of those. Beside it, what it promotes from"
        + " the source-only run alone, and the best checkpoint of any run (oracle). Target test"
        + " accuracy.\n\n| pair, seed | promoted: method, epoch | target acc | source-only "
        + "promoted | gain over source-only | oracle: method, epoch, target acc |\n"
        + "|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<List<Checkpoint>>> g : groups.entrySet()) {
      List<Run> group = g.getValue().stream().map(r -> r.get(0).run()).toList();
      Checkpoint pick = ValidatorStats.chooseAcrossRuns(g.getValue(), v);
      Checkpoint sourceOnly = g.getValue().stream()
          .filter(r -> r.get(0).run().method() == Method.SOURCE_ONLY).findFirst()
          .map(r -> ValidatorStats.choose(r, v)).orElse(null);
      Checkpoint oracle = g.getValue().stream().flatMap(List::stream)
          .max(java.util.Comparator.comparingDouble(Checkpoint::targetAcc)).orElseThrow();
      md.append(String.format(Locale.ROOT, "| %s | %s, %d | %.4f | %s | %s | %s, %d, %.4f |%n",
          g.getKey(), label(pick.run(), group), pick.epoch(), pick.targetAcc(),
          sourceOnly == null ? "-" : String.format(Locale.ROOT, "%.4f (epoch %d)",
              sourceOnly.targetAcc(), sourceOnly.epoch()),
          sourceOnly == null ? "-" : String.format(Locale.ROOT, "%+.2f points",
              100 * (pick.targetAcc() - sourceOnly.targetAcc())),
          label(oracle.run(), group), oracle.epoch(), oracle.targetAcc()));
    }
    return md.toString();
  }

  /**
   * A run's name in a table: its method, and its network where runs of the same pair among
   * {@code runs} train more than one (e.g. {@code mean-teacher on lenet-bn}).
   */
  static String label(Run run, List<Run> runs) {
    boolean networks = runs.stream().filter(r -> r.source().equals(run.source())
        && r.target().equals(run.target())).map(Run::network).distinct().count() > 1;
    return networks ? run.method().id() + " on " + run.network() : run.method().id();
  }

  /** The page's heading. */
  static String title(String profile) {
    if (profile.equals(PROMOTION_MNIST64)) {
      return "# Label-free promotion on the MNIST-64 demo pair\n\n";
    }
    return profile.equals(PROMOTION) ? "# Label-free promotion at the platform's defaults\n\n"
        : "# Label-free validators against target accuracy\n\n";
  }

  /** What the plan is and why, for the report. */
  static String planText(String profile) {
    if (profile.equals(PROMOTION_MNIST64)) {
      return "Declared on 2026-12-05 before any run, none of it tuned on a target label: the "
          + "MNIST-64 demo pair (MNIST digits at 64x64 against the same digits over coloured "
          + "backgrounds) on every training picture of both domains (the demo's 6,000 per domain "
          + "are a time-saving cut; the platform's default is every picture), the demo's recipe "
          + "otherwise: `adda-mnist64-in` (per-picture instance normalisation), each step's "
          + "gradient norm clipped at 5, colour augmentation, batch 64 (ADDA 128, as the demo's "
          + "ADDA row), seed 42, " + MNIST64_EPOCHS + " epochs (ADDA after " + PRETRAIN_EPOCHS
          + " of source pretraining; its checkpoints count), a bound on the cost. Methods, in "
          + "the order the evaluator would see them as jobs: source-only (the baseline), DANN "
          + "(the demo's reference), CDAN+E (Long et al. 2018: above DANN on every digit pair "
          + "they report), ADDA (the demo's other reference, last for its cost); the others "
          + "are left out for cost (some 22 minutes per adapted run on 2 cores). Validators as "
          + "in the `validators` profile: "
          + "evaluator-service's, on its default " + LabelFreeValidation.DEFAULT_TARGET_PICTURES
          + " target training pictures (labels dropped) and the run's held-out source "
          + "pictures, ClassAMI seeded " + LabelFreeValidation.SEED + ".";
    }
    if (profile.equals(PROMOTION)) {
      return "Every method of docs/methods.md with the platform's defaults, as a request that "
          + "names no option gets them (`TrainingConfig.defaults`: the method's recipe, "
          + "`Method.recipe()`, with its epochs and pretraining epochs, batch 128, seed 42; the "
          + "network's default tuning; no augmentation), on USPS -> MNIST and MNIST -> USPS, "
          + "every picture, `lenet` (the platform's default network for the pair); then, "
          + "declared on 2026-12-05 before it ran, the mean teacher on `lenet-bn` (per-domain "
          + "batch statistics, the kind of network of its paper's digit results) on each pair. "
          + "One seed, a bound on the cost. Declared before any run; none of it was tuned on a "
          + "target label. "
          + "Validators as in the `validators` profile: evaluator-service's, on its default "
          + LabelFreeValidation.DEFAULT_TARGET_PICTURES + " target training pictures (labels "
          + "dropped) and the run's held-out source pictures, ClassAMI seeded "
          + LabelFreeValidation.SEED + ".";
    }
    if (profile.equals("validators-quick")) {
      return "Profile `validators-quick`, a smoke test of the tool: the pairs and methods of "
          + "`validators` with seed 42, 2 epochs (1 of pretraining), the first 300 training "
          + "pictures per domain; validators on 300 target training pictures, accuracy on 500 "
          + "target test pictures. Its numbers mean nothing.";
    }
    return "Every method of docs/methods.md with its recipe (`Method.recipe()`) and the "
        + "network's default tuning, batch 128, no augmentation, seeds 42 and 43, " + EPOCHS
        + " epochs (ADDA, SHOT-IM and SHOT: " + PRETRAIN_EPOCHS + " epochs of source pretraining "
        + "first, and their checkpoints count), on MNIST -> USPS and USPS -> MNIST (`lenet`, "
        + "every picture) and MNIST -> `mnist-tex` (`dann-mnistm`, the DANN paper's small colour "
        + "network; the first " + TEX_PICTURES + " training pictures per domain: a bound on its "
        + "cost). Each pair's network is the platform's default for it. These choices were made before any run, on cost and "
        + "coverage; none was tuned on a target label. Validators: evaluator-service's, on its "
        + "default " + LabelFreeValidation.DEFAULT_TARGET_PICTURES + " target training pictures "
        + "(labels dropped) and the run's held-out source pictures (10% of the source training "
        + "pictures, `SourceHoldout`), ClassAMI seeded " + LabelFreeValidation.SEED + ".";
  }

  /** Where {@code mnist-tex}'s photographs come from. */
  static String texText() {
    StringBuilder md = new StringBuilder("`mnist-tex`: MNIST digits blended over 28x28 patches "
        + "of colour photographs, `|patch - digit|` per channel as MNIST-M (Ganin et al., JMLR "
        + "2016; `MnistOnTextures`), train split seed " + BenchDatasets.MNIST_TEX_TRAIN_SEED
        + " over MNIST's training digits, test split seed " + BenchDatasets.MNIST_TEX_TEST_SEED
        + " over its test digits. The photographs ship with Debian packages (`bench/"
        + "backgrounds.sh` extracts them into the dataset cache without installing anything); "
        + "each is checked against its SHA-256:\n\n| package | version | path | SHA-256 |\n"
        + "|---|---|---|---|\n");
    for (var f : dev.daflow.ml.data.MnistOnTextures.PICTURES) {
      md.append("| ").append(f.debianPackage()).append(" | ").append(f.version()).append(" | `")
          .append(f.path()).append("` | `").append(f.sha256()).append("` |\n");
    }
    return md.toString();
  }

  private static String f2(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** Accuracy points: 0.0123 is {@code 1.23}. */
  private static String pts(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
  }
}
