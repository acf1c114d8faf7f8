package dev.daflow.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The wire names, and reading them back with an error that lists the known ones. */
class VocabularyTest {

  @Test
  void wireNamesAreThoseOfOldRequests() {
    assertThat(Method.ids()).containsExactly("source-only", "dann", "adda", "cdan", "cdan-e",
        "mcc", "shot-im", "shot", "mean-teacher");
    assertThat(Tuning.Solver.ids()).containsExactly("sgd", "adam");
    assertThat(Augmentation.ids()).containsExactly("none", "colour");
    assertThat(Network.ids())
        .containsExactly("lenet", "dann-svhn", "adda-mnist64", "adda-mnist64-in",
            "dann-mnistm", "lenet-bn");
  }

  @Test
  void parsingAcceptsAnyCaseAndTheJavaName() {
    assertThat(Method.parse("DANN")).isEqualTo(Method.DANN);
    assertThat(Method.parse("source_only")).isEqualTo(Method.SOURCE_ONLY);
    assertThat(Method.parse("Source-Only")).isEqualTo(Method.SOURCE_ONLY);
    assertThat(Tuning.Solver.parse("Adam")).isEqualTo(Tuning.Solver.ADAM);
    assertThat(Augmentation.parse("COLOUR")).isEqualTo(Augmentation.COLOUR);
  }

  @Test
  void unknownNamesAreRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> Tuning.Solver.parse("rmsprop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("solver must be one of sgd, adam; got 'rmsprop'");
    assertThatThrownBy(() -> Method.parse("cyclegan"))
        .hasMessage("method must be one of source-only, dann, adda, cdan, cdan-e, mcc,"
            + " shot-im, shot, mean-teacher; got 'cyclegan'");
    assertThatThrownBy(() -> Augmentation.parse("color"))
        .hasMessage("augmentation must be one of none, colour; got 'color'");
    // Networks are read exactly: their names go into configs and bundles as given.
    assertThatThrownBy(() -> Network.byId("LENET")).hasMessage("network must be one of lenet,"
        + " dann-svhn, adda-mnist64, adda-mnist64-in, dann-mnistm, lenet-bn; got 'LENET'");
    assertThat(Named.check(Method.class, "method", null)).get().hasToString(
        "method must be one of source-only, dann, adda, cdan, cdan-e, mcc, shot-im,"
            + " shot, mean-teacher; got null");
  }

  @Test
  void namesFollowTheKeyRule() {
    assertThat(Limits.NAME.matcher("dann-mnist-usps-20261124-153012-7f3a").matches()).isTrue();
    assertThat(Limits.NAME.matcher("a..b").matches()).isFalse();
    assertThat(Limits.NAME.matcher(".").matches()).isFalse();
    assertThat(Limits.NAME.matcher("j".repeat(129)).matches()).isFalse();
    assertThat(RequestRules.nameProblem("jobId", "a/b", true)).get().hasToString(
        "jobId must be 1-128 letters, digits, '.', '_' or '-' (no '..'), got 'a/b'");
    assertThat(RequestRules.nameProblem("modelName", null, false)).isEmpty();
    assertThat(RequestRules.nameProblem("jobId", null, true)).get().hasToString(
        "jobId is required");
  }
}
