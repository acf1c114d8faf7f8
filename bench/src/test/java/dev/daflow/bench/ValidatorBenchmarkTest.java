package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.bench.Benchmark.Run;
import dev.daflow.contract.Method;
import dev.daflow.ml.data.MnistOnTextures;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
