package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.bench.Benchmark.Run;
import dev.daflow.contract.Method;
import dev.daflow.ml.data.MnistOnTextures;
import dev.daflow.ml.eval.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorBenchmarkTest {
  @Test
  void theValidatorPlanHasAtLeast150Checkpoints() {
    List<Run> plan = ValidatorBenchmark.plan("validators");
    assertThat(plan.stream().mapToInt(ValidatorBenchmark::checkpoints).sum()).isEqualTo(198);
    assertThat(plan.stream().map(Run::method).distinct()).containsExactlyInAnyOrder(
        Method.values());
    assertThat(ValidatorBenchmark.plan("validators-quick")).allSatisfy(r -> {
      assertThat(r.trainLimit()).isEqualTo(300);
      assertThat(r.epochs()).isEqualTo(2);
    });
  }
  @Test
  void thePlanCoversThreePairsTwoSeedsAndTheColourPairWithTheColourNetwork() {
    List<Run> plan = ValidatorBenchmark.plan("validators");
    assertThat(plan).hasSize(54);
    assertThat(plan.stream().map(r -> r.source() + "->" + r.target()).distinct())
        .containsExactly("mnist->usps", "usps->mnist", "mnist->mnist-tex");
    assertThat(plan.stream().map(Run::seed).distinct()).containsExactly(42L, 43L);
    assertThat(plan).filteredOn(r -> r.target().equals("mnist-tex")).allSatisfy(r -> {
      assertThat(r.network()).isEqualTo("dann-mnistm");
      assertThat(r.trainLimit()).isEqualTo(ValidatorBenchmark.TEX_PICTURES);
    });
  }

  @Test
  void thePlanPageStatesItsSizeAndWhereEveryPhotographComesFrom() {
    String page = ValidatorBenchmark.planPage("validators", 48, 168,
        "bench/run.sh validators");
    assertThat(page).contains("Not measured yet").contains("`bench/run.sh validators`")
        .contains("48 runs, 168 checkpoints").contains("`bench/run.sh validators plan`");
    for (MnistOnTextures.PictureFile f : MnistOnTextures.PICTURES) {
      assertThat(page).contains("| " + f.debianPackage() + " | " + f.version() + " | `"
          + f.path() + "` | `" + f.sha256() + "` |");
    }
  }

  /**
   * {@code report} writes the page from the runs measured so far, trains nothing (the datasets
   * folder does not even exist), and says at the top how far the plan got.
   */
  @Test
  void aReportOfAnInterruptedBenchmarkSaysItIsPartialAndCountsOnlyTheMeasuredRuns(
      @TempDir Path dir) throws Exception {
    List<Run> plan = ValidatorBenchmark.plan("validators-quick");
    List<Checkpoint> rows = new ArrayList<>();
    for (Run r : plan.subList(0, 2)) {
      for (int epoch = 1; epoch <= 2; epoch++) {
        Map<String, Double> v = new LinkedHashMap<>();
        for (Validator x : Validator.values()) {
          v.put(x.key(), 0.1 * epoch + (r.method().ordinal() % 3));
        }
        v.put(Validator.COLLAPSED, 0.0);
        rows.add(new Checkpoint(r, epoch, "train", 0.5 + 0.1 * epoch, v, null));
      }
    }
    Path out = dir.resolve("validators.md");
    ValidatorBenchmark.append(dir.resolve("validators.rows.jsonl"), rows);

    ValidatorBenchmark.main(dir.resolve("no-datasets"), out, "validators-quick",
        "bench/run.sh validators-quick", "report");

    String page = Files.readString(out);
    assertThat(page).contains("**Partial: 2 of the plan's " + plan.size() + " runs measured so"
        + " far**").contains("4 checkpoints (every epoch of 2 runs");
    assertThat(Files.readAllLines(dir.resolve("validators.rows.jsonl"))).hasSize(4);
    // A mistyped mode is refused, not taken for a run of the whole plan.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ValidatorBenchmark.main(
            dir.resolve("no-datasets"), out, "validators-quick", "cmd", "reprot"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'reprot'");
  }

  @Test
  void thePromotionPlanIsEveryMethodWithThePlatformsDefaultsThenTheDeclaredJob() {
    List<Run> all = ValidatorBenchmark.plan(ValidatorBenchmark.PROMOTION);
    int perPair = Method.values().length + 1;
    assertThat(all).hasSize(2 * perPair);
    assertThat(all.stream().map(r -> r.source() + "->" + r.target()).distinct())
        .containsExactly("usps->mnist", "mnist->usps");
    // After each pair's methods on lenet, the declared job: the mean teacher on lenet-bn.
    for (int pair = 0; pair < 2; pair++) {
      Run declared = all.get(pair * perPair + perPair - 1);
      assertThat(declared.method()).isEqualTo(Method.MEAN_TEACHER);
      assertThat(declared.network()).isEqualTo("lenet-bn");
      assertThat(declared.source()).isEqualTo(all.get(pair * perPair).source());
      assertThat(declared.tuning()).isEqualTo(dev.daflow.ml.train.TrainingConfig
          .defaults(Method.MEAN_TEACHER, "lenet-bn").tuning());
    }
    assertThat(all).allSatisfy(r -> {
      var defaults = dev.daflow.ml.train.TrainingConfig.defaults(r.method(), r.network());
      assertThat(r.epochs()).isEqualTo(defaults.epochs()).isEqualTo(10);
      assertThat(r.pretrainEpochs()).isEqualTo(r.method().usesPretraining()
          ? defaults.pretrainEpochs() : 0);
      assertThat(r.seed()).isEqualTo(42);
      assertThat(r.trainLimit()).isZero();
    });
  }

  /** The MNIST-64 demo pair at the demo's recipe on every picture: baseline first, as declared. */
  @Test
  void theMnist64PromotionPlanIsTheDemoRecipeOnEveryPictureWithTheBaselineFirst() {
    List<Run> plan = ValidatorBenchmark.plan(ValidatorBenchmark.PROMOTION_MNIST64);
    assertThat(plan).extracting(Run::method).containsExactly(Method.SOURCE_ONLY, Method.DANN,
        Method.CDAN_E, Method.ADDA);
    assertThat(plan).allSatisfy(r -> {
      assertThat(r.source() + "->" + r.target()).isEqualTo("mnist64->mnist64-bg");
      assertThat(r.network()).isEqualTo("adda-mnist64-in");
      assertThat(r.trainLimit()).isZero();
      assertThat(r.augmentation()).isEqualTo(dev.daflow.contract.Augmentation.COLOUR);
      assertThat(r.tuning().clipNorm()).isEqualTo(Benchmark.MNIST64_CLIP);
      assertThat(r.epochs()).isEqualTo(ValidatorBenchmark.MNIST64_EPOCHS);
      assertThat(r.seed()).isEqualTo(42);
      assertThat(r.batchSize()).isEqualTo(r.method() == Method.ADDA ? 128 : 64);
      assertThat(r.pretrainEpochs()).isEqualTo(r.method() == Method.ADDA
          ? ValidatorBenchmark.PRETRAIN_EPOCHS : 0);
    });
    assertThat(ValidatorBenchmark.title(ValidatorBenchmark.PROMOTION_MNIST64))
        .contains("MNIST-64");
    assertThat(ValidatorBenchmark.planText(ValidatorBenchmark.PROMOTION_MNIST64))
        .contains("every training picture").doesNotContain("mnist-tex");
  }

  /** A run is named by its method, and by its network too where its pair trains several. */
  @Test
  void runsAreNamedByNetworkOnlyWhereTheirPairTrainsSeveral() {
    List<Run> plan = ValidatorBenchmark.plan(ValidatorBenchmark.PROMOTION);
    assertThat(ValidatorBenchmark.label(plan.get(0), plan)).isEqualTo("source-only on lenet");
    assertThat(ValidatorBenchmark.label(plan.get(Method.values().length), plan))
        .isEqualTo("mean-teacher on lenet-bn");
    List<Run> lenetOnly = plan.stream().filter(r -> r.network().equals("lenet")).toList();
    assertThat(ValidatorBenchmark.label(plan.get(0), lenetOnly)).isEqualTo("source-only");
  }

  /**
   * The promoted model of a pair: within each run the epoch the default policy's validator rates
   * best, across runs the best of those, whatever the target accuracy says.
   */
  @Test
  void theDefaultPolicysPickIsTheBestByItsValidatorNotByTargetAccuracy() {
    Run sourceOnly = run(Method.SOURCE_ONLY);
    Run dann = run(Method.DANN);
    Run mcc = run(Method.MCC);
    List<List<Checkpoint>> runs = List.of(
        List.of(checkpoint(sourceOnly, 1, 0.95, 0.80), checkpoint(sourceOnly, 2, 0.96, 0.78)),
        // DANN's second epoch: best by held-out source accuracy, not by target accuracy.
        List.of(checkpoint(dann, 1, 0.955, 0.95), checkpoint(dann, 2, 0.97, 0.90)),
        // MCC's first epoch has the best target accuracy of all (the oracle).
        List.of(checkpoint(mcc, 1, 0.94, 0.99), checkpoint(mcc, 2, 0.93, 0.97)));
    String md = ValidatorBenchmark.promoted(Map.of("usps -> mnist seed 42", runs));
    assertThat(md).contains("`" + Validator.DEFAULT_POLICY + "`")
        .contains("| usps -> mnist seed 42 | dann, 2 | 0.9000 | 0.7800 (epoch 2) | +12.00 points "
            + "| mcc, 1, 0.9900 |");
  }

  private static Run run(Method m) {
    return new Run("usps", "mnist", m, "lenet", 2, 0, 0);
  }

  private static Checkpoint checkpoint(Run r, int epoch, double sourceVal, double targetAcc) {
    return new Checkpoint(r, epoch, "train", targetAcc, Map.of(
        Validator.SOURCE_VAL_ACCURACY.key(), sourceVal, Validator.COLLAPSED, 0.0), null);
  }
}
