package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldOutComparisonTest {

  private static Map<String, Double> model(double accuracy, int pictures, Double dev) {
    Map<String, Double> v = new HashMap<>();
    v.put("source_val_accuracy", accuracy);
    if (pictures > 0) {
      v.put("source_val_pictures", (double) pictures);
    }
    if (dev != null) {
      v.put("dev", dev);
    }
    return v;
  }

  @Test
  void theBandIsTwoStandardErrorsOfTheDifferenceOfTwoProportions() {
    // p = 0.9966 pooled over 729 + 729 pictures: sqrt(p(1-p) * 2/729) = 0.003043.
    assertThat(HeldOutComparison.margin(0.9973, 729, 0.9959, 729))
        .isCloseTo(1.96 * Math.sqrt(0.9966 * 0.0034 * 2 / 729), within(1e-9));
    // Unequal counts: the pooled p weighs each by its pictures.
    double p = (0.9 * 100 + 0.8 * 300) / 400;
    assertThat(HeldOutComparison.margin(0.9, 100, 0.8, 300))
        .isCloseTo(1.96 * Math.sqrt(p * (1 - p) * (1.0 / 100 + 1.0 / 300)), within(1e-12));
    assertThat(HeldOutComparison.margin(0.9, Double.NaN, 0.8, 300)).isZero();
  }

  @Test
  void withinTheBandTheLowerDevDecides() {
    // One of 729 pictures apart: a tie; the challenger's DEV is lower, so it wins.
    HeldOutComparison.Verdict v = HeldOutComparison.compare(model(726 / 729.0, 729, 0.10),
        model(727 / 729.0, 729, 0.12));
    assertThat(v.tie()).isTrue();
    assertThat(v.challengerWins()).isTrue();
    assertThat(v.reason()).contains("a tie, decided by dev");
    // The same tie with the higher DEV: the serving model stays.
    assertThat(HeldOutComparison.compare(model(727 / 729.0, 729, 0.12),
        model(726 / 729.0, 729, 0.10)).challengerWins()).isFalse();
    // A tie without a DEV value, or with equal ones, keeps the serving model.
    assertThat(HeldOutComparison.compare(model(727 / 729.0, 729, null),
        model(726 / 729.0, 729, 0.10)).challengerWins()).isFalse();
    assertThat(HeldOutComparison.compare(model(727 / 729.0, 729, 0.10),
        model(726 / 729.0, 729, 0.10)).challengerWins()).isFalse();
  }

  @Test
  void beyondTheBandTheHigherAccuracyWinsWhateverDevSays() {
    // 0.99 against 0.95 on 729 pictures each: far beyond the band (about 0.018).
    HeldOutComparison.Verdict up = HeldOutComparison.compare(model(0.99, 729, 0.5),
        model(0.95, 729, 0.1));
    assertThat(up.tie()).isFalse();
    assertThat(up.challengerWins()).isTrue();
    assertThat(HeldOutComparison.compare(model(0.95, 729, 0.1), model(0.99, 729, 0.5))
        .challengerWins()).isFalse();
    // The same two accuracies on 60 pictures each are a tie: DEV decides.
    assertThat(HeldOutComparison.compare(model(0.95, 60, 0.1), model(0.99, 60, 0.5)).tie())
        .isTrue();
  }

  @Test
  void twoPerfectScoresAreATieThatDevDecides() {
    // No sampling error at 100% (the band is 0), but equal accuracies are still a tie.
    HeldOutComparison.Verdict v = HeldOutComparison.compare(model(1.0, 729, 0.01),
        model(1.0, 729, 0.02));
    assertThat(v.tie()).isTrue();
    assertThat(v.challengerWins()).isTrue();
    assertThat(HeldOutComparison.compare(model(1.0, 729, 0.03), model(1.0, 729, 0.02))
        .challengerWins()).isFalse();
  }

  @Test
  void withoutCountsTheHigherAccuracyWinsStrictlyAsBefore() {
    assertThat(HeldOutComparison.compare(model(0.9960, 0, 0.1), model(0.9959, 729, 0.5))
        .challengerWins()).isTrue();
    assertThat(HeldOutComparison.compare(model(0.9959, 0, 0.1), model(0.9959, 0, 0.5))
        .challengerWins()).isFalse();
    assertThat(HeldOutComparison.compare(model(0.9958, 0, 0.1), model(0.9959, 0, 0.5))
        .challengerWins()).isFalse();
  }
}
