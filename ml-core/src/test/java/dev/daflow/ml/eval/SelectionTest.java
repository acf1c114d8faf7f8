package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one selection rule of promotion and of the validator table. */
class SelectionTest {
  record C(String name, double score, boolean collapsed) {}

  private static String best(C... cs) {
    return Selection.best(List.of(cs), C::collapsed, C::score).name();
  }

  @Test
  void theHighestScoreWinsAndTiesGoToTheLaterCandidate() {
    assertThat(best(new C("a", 0.2, false), new C("b", 0.9, false), new C("c", 0.5, false)))
        .isEqualTo("b");
    assertThat(best(new C("a", 0.9, false), new C("b", 0.9, false), new C("c", 0.1, false)))
        .isEqualTo("b");
  }

  @Test
  void aCollapsedCandidateWinsOnlyWhenAllCollapsed() {
    assertThat(best(new C("a", 0.1, false), new C("b", 9, true))).isEqualTo("a");
    assertThat(best(new C("a", 9, true), new C("b", 0.1, false))).isEqualTo("b");
    assertThat(best(new C("a", 0.3, true), new C("b", 0.2, true))).isEqualTo("a");
  }

  @Test
  void aNanScoreNeverBeatsANumber() {
    assertThat(best(new C("a", -5, false), new C("b", Double.NaN, false))).isEqualTo("a");
    assertThat(best(new C("a", Double.NaN, false), new C("b", -5, false))).isEqualTo("b");
    assertThatThrownBy(() -> Selection.best(List.<C>of(), C::collapsed, C::score))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no candidates");
  }
}
