package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliParsingTest {

  private static final String[] TRAIN = {"local", "train", "--method", "dann", "--source", "mnist",
      "--target", "usps", "--out", "m.bundle"};

  @Test
  void unknownMethodIsAUsageErrorNamingTheKnownMethods() {
    CliRun r = CliRun.of("local", "train", "--method", "cyclegan", "--source", "mnist",
        "--target", "usps", "--out", "m.bundle");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("daflow: error: ")
        .contains("method must be one of source-only, dann, adda, cdan, cdan-e, mcc,"
            + " shot-im, shot, mean-teacher; got 'cyclegan'")
        .contains("source-only").contains("dann").contains("adda")
        .contains("daflow local train --help");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownAugmentationIsAUsageError() {
    CliRun r = CliRun.of("local", "train", "--method", "dann", "--source", "mnist",
        "--target", "usps", "--augment", "mixup", "--out", "m.bundle");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("augmentation must be one of none, colour; got 'mixup'").contains("colour");
  }

  @Test
  void unknownMethodIsExitCode2AlsoOnAPlainCommandLine() {
    CliRun r = CliRun.of(new CommandLine(new DaflowCli()), "local", "train", "--method", "cyclegan",
        "--source", "mnist", "--target", "usps", "--out", "m.bundle");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("method must be one of source-only, dann, adda, cdan,"
        + " cdan-e, mcc, shot-im, shot, mean-teacher; got 'cyclegan'");
  }

  @Test
  void missingOutIsAUsageError() {
    CliRun r = CliRun.of("local", "train", "--method", "dann", "--source", "mnist",
        "--target", "usps");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option").contains("--out");
  }

  @Test
  void unknownDatasetAndNetworkAreUsageErrors() {
    CliRun ds = CliRun.of("local", "train", "--method", "dann", "--source", "cifar",
        "--target", "usps", "--out", "m.bundle");
    assertThat(ds.exitCode()).isEqualTo(2);
    assertThat(ds.err()).contains("unknown dataset 'cifar'").contains("mnist, usps");

    CliRun net = CliRun.of("local", "train", "--method", "dann", "--source", "mnist",
        "--target", "usps", "--network", "resnet", "--out", "m.bundle");
    assertThat(net.exitCode()).isEqualTo(2);
    assertThat(net.err()).contains("network must be one of lenet").contains("got 'resnet'");
  }

  @Test
  void badValueIsOneErrorLineWithoutStackTrace() {
    CliRun r = CliRun.of(concat(TRAIN, "--epochs", "0"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("daflow: error: epochs must be in 1..10000, got 0");
  }

  @Test
  void verboseAddsTheStackTrace() {
    CliRun r = CliRun.of(concat(TRAIN, "--epochs", "0", "--verbose"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("daflow: error: epochs must be in 1..10000")
        .contains("IllegalArgumentException").contains("\tat dev.daflow.");
  }

  @Test
  void missingBundleIsAnErrorNamingTheFile(@TempDir Path tmp) {
    Path missing = tmp.resolve("none.bundle");
    CliRun r = CliRun.of("local", "info", "--model", missing.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("daflow: error: no such file: " + missing);
  }

  @Test
  void aFileThatIsNotABundleIsRejected(@TempDir Path tmp) throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.bundle"), "not a zip");
    CliRun r = CliRun.of("local", "info", "--model", junk.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("daflow: error: ").contains("not a model bundle");
  }

  @Test
  void defaultNetworkFollowsTheDatasetPair() {
    assertThat(DefaultNetwork.forPair("mnist", "usps")).isEqualTo("lenet");
    assertThat(DefaultNetwork.forPair("usps", "mnist")).isEqualTo("lenet");
    assertThat(DefaultNetwork.forPair("svhn", "mnist")).isEqualTo("dann-mnistm");
    assertThat(DefaultNetwork.forPair("mnist", "svhn")).isEqualTo("dann-mnistm");
    assertThat(DefaultNetwork.forPair("mnist64", "mnist64-bg")).isEqualTo("adda-mnist64-in");
    assertThat(DefaultNetwork.forPair("svhn", "mnist64")).isEqualTo("adda-mnist64-in");
    // Every built-in dataset has a default network.
    for (String dataset : dev.daflow.ml.data.DatasetCatalog.names()) {
      assertThat(DefaultNetwork.forPair(dataset, dataset)).isNotNull();
    }
  }

  @Test
  void optionsBecomeTheTrainingConfig() {
    TrainingConfig svhn = trainConfig("local", "train", "--method", "dann", "--source", "svhn",
        "--target", "mnist", "--out", "m.bundle");
    assertThat(svhn.network()).isEqualTo("dann-mnistm");
    assertThat(svhn).isEqualTo(TrainingConfig.defaults(Method.DANN, "dann-mnistm"));

    TrainingConfig adda = trainConfig("local", "train", "--method", "ADDA", "--source", "mnist64",
        "--target", "mnist64-bg", "--epochs", "3", "--pretrain-epochs", "2", "--batch-size", "64",
        "--lr", "0.001", "--seed", "7", "--augment", "Colour", "--out", "m.bundle");
    assertThat(adda).isEqualTo(TrainingConfig.defaults(Method.ADDA, "adda-mnist64-in")
        .withEpochs(3).withPretrainEpochs(2).withBatchSize(64).withLearningRate(0.001)
        .withSeed(7).withAugmentation(Augmentation.COLOUR));
    // The MNIST-64 network's default recipe clips gradients at norm 5.
    assertThat(adda.tuning()).isEqualTo(Tuning.DEFAULT.withClipNorm(5));

    TrainingConfig explicit = trainConfig("local", "train", "--method", "source-only",
        "--source", "svhn", "--target", "mnist", "--network", "lenet", "--out", "m.bundle");
    assertThat(explicit.network()).isEqualTo("lenet");
    assertThat(explicit.method()).isEqualTo(Method.SOURCE_ONLY);
  }

  @Test
  void tuningOptionsBecomeTheConfigsTuning() {
    TrainingConfig tuned = trainConfig("local", "train", "--method", "dann", "--source", "mnist",
        "--target", "usps", "--solver", "ADAM", "--clip-norm", "2.5", "--lambda-max", "0.3",
        "--out", "m.bundle");
    assertThat(tuned.tuning()).isEqualTo(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM)
        .withClipNorm(2.5).withLambdaMax(0.3));
    assertThat(trainConfig("local", "train", "--method", "dann", "--source", "mnist", "--target",
        "usps", "--out", "m.bundle").tuning()).isEqualTo(Tuning.DEFAULT);
    // An explicit 0 turns the MNIST-64 network's default clipping off.
    assertThat(trainConfig("local", "train", "--method", "dann", "--source", "mnist64",
        "--target", "mnist64-bg", "--clip-norm", "0", "--out", "m.bundle").tuning())
        .isEqualTo(Tuning.DEFAULT);
    assertThat(TrainCommand.describe(Tuning.DEFAULT)).isEmpty();
    assertThat(TrainCommand.describe(tuned.tuning())).isEqualTo(", adam, clip 2.5, lambda max 0.3");
    TrainingConfig weighted = trainConfig("local", "train", "--method", "dann", "--source",
        "mnist", "--target", "usps", "--class-weights", "--domain-lr-scale", "10", "--out",
        "m.bundle");
    assertThat(weighted.tuning()).isEqualTo(Tuning.DEFAULT.withClassWeighting(true)
        .withDomainLearningRateScale(10));
    assertThat(TrainCommand.describe(weighted.tuning()))
        .isEqualTo(", class weights, domain lr x10.0");
  }

  @Test
  void everyTuningKnobHasAnOption() {
    CommandLine cl = DaflowCli.commandLine();
    var train = cl.getSubcommands().get("local").getSubcommands().get("train").getCommandSpec();
    for (Tuning.Knob knob : Tuning.Knob.values()) {
      assertThat(TrainingOptions.KNOB_OPTIONS).containsKey(knob);
      assertThat(train.findOption(TrainingOptions.KNOB_OPTIONS.get(knob))).as(knob.field())
          .isNotNull();
    }
  }

  @Test
  void badTuningOptionsAreRefusedNamingTheOption() {
    String[] train = {"local", "train", "--method", "dann", "--source", "mnist", "--target",
        "usps", "--out", "m.bundle"};
    CliRun solver = CliRun.of(concat(train, "--solver", "rmsprop"));
    assertThat(solver.exitCode()).isEqualTo(2);
    assertThat(solver.err()).contains("--solver")
        .contains("solver must be one of sgd, adam; got 'rmsprop'");
    CliRun clip = CliRun.of(concat(train, "--clip-norm", "-1"));
    assertThat(clip.exitCode()).isEqualTo(2);
    assertThat(clip.err()).contains("--clip-norm").contains("clipNorm must be a finite number >= 0");
    CliRun lambda = CliRun.of(concat(train, "--lambda-max", "11"));
    assertThat(lambda.exitCode()).isEqualTo(2);
    assertThat(lambda.err()).contains("--lambda-max").contains("lambdaMax must be in (0, 10]");
    CliRun notANumber = CliRun.of(concat(train, "--clip-norm", "five"));
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).contains("--clip-norm").contains("'five' is not a number");
  }

  @Test
  void datasetMirrorResolution(@TempDir Path tmp) throws Exception {
    Path option = tmp.resolve("opt");
    assertThat(DatasetOptions.resolveMirror(option, "/env", tmp)).isEqualTo(option);
    assertThat(DatasetOptions.resolveMirror(null, "/env", tmp)).isEqualTo(Path.of("/env"));
    assertThat(DatasetOptions.resolveMirror(null, null, tmp.resolve("repo"))).isNull();
    Path shared = Files.createDirectories(tmp.resolve("shared/datasets"));
    Files.createDirectories(tmp.resolve("repo"));
    assertThat(DatasetOptions.resolveMirror(null, "", tmp.resolve("repo"))).isEqualTo(shared);
  }

  @Test
  void versionAndHelp() {
    assertThat(CliRun.of("--version").out()).startsWith("daflow ");
    CliRun help = CliRun.of("local", "train", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--method").contains("--datasets").contains("DAFLOW_DATASETS");
    // The defaults shown are the contract's.
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains("Default: 0.01 (source-only, dann, cdan, cdan-e, mcc, shot-im, shot), 2.0E-4"
            + " (adda), 0.001 (mean-teacher).")
        .contains("Default: 5 for adda-mnist64-in, else 0.")
        .contains("lenet, dann-svhn, adda-mnist64, adda-mnist64-in, dann-mnistm or lenet-bn.")
        .contains("in (0, 10]. Default: 1 (the paper's).")
        .contains("Default: 42.").doesNotContain("${bundle");
    CliRun platform = CliRun.of("train", "--help");
    assertThat(platform.out().replaceAll("\\s+", " ")).contains("Default: 128.")
        .contains("Default: 5.").doesNotContain("${bundle");
  }

  private static TrainingConfig trainConfig(String... args) {
    CommandLine cl = DaflowCli.commandLine();
    cl.parseArgs(args);
    TrainCommand train = cl.getSubcommands().get("local").getSubcommands().get("train")
        .getCommand();
    return train.config();
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
