package dev.daflow.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Tuning}: the knobs, their limits and methods, and the asked-for values over a base. */
class TuningTest {

  @Test
  void defaultIsThePapersRecipe() {
    assertThat(Tuning.DEFAULT.solver()).isEqualTo(Tuning.Solver.SGD);
    assertThat(Tuning.DEFAULT.clipNorm()).isZero();
    assertThat(Tuning.DEFAULT.lambdaMax()).isEqualTo(1.0);
    assertThat(Tuning.DEFAULT.classWeighting()).isFalse();
    assertThat(Tuning.DEFAULT.domainLearningRateScale()).isEqualTo(1.0);
  }

  @Test
  void badValuesAreRefusedWithTheirName() {
    assertThatThrownBy(() -> Tuning.DEFAULT.withClipNorm(-1))
        .hasMessage("clipNorm must be a finite number >= 0 (0 = off), got -1.0");
    assertThatThrownBy(() -> Tuning.DEFAULT.withClipNorm(Double.NaN))
        .hasMessageStartingWith("clipNorm");
    assertThatThrownBy(() -> Tuning.DEFAULT.withLambdaMax(0))
        .hasMessage("lambdaMax must be in (0, 10], got 0.0");
    assertThatThrownBy(() -> Tuning.DEFAULT.withDomainLearningRateScale(-1))
        .hasMessageStartingWith("domainLearningRateScale");
    assertThatThrownBy(() -> Tuning.DEFAULT.withDomainLearningRateScale(1000))
        .hasMessage("domainLearningRateScale must be in (0, 100], got 1000.0");
  }

  @Test
  void theValuesAskedForReplaceTheBase() {
    Tuning clipped = Network.ADDA_MNIST64_IN.defaultTuning();
    assertThat(Tuning.Request.NONE.over(clipped)).isEqualTo(clipped);
    assertThat(new Tuning.Request("adam", 2.5, 0.3).over(Tuning.DEFAULT)).isEqualTo(
        Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM).withClipNorm(2.5).withLambdaMax(0.3));
    // One value given: the others keep the base's, and 0 turns its clipping off.
    assertThat(new Tuning.Request(null, 0.0, null).over(clipped)).isEqualTo(Tuning.DEFAULT);
    assertThat(new Tuning.Request(null, null, null, true, 10.0).over(Tuning.DEFAULT))
        .isEqualTo(Tuning.DEFAULT.withClassWeighting(true).withDomainLearningRateScale(10));
    assertThatThrownBy(() -> new Tuning.Request(null, -1.0, null).over(Tuning.DEFAULT))
        .hasMessageStartingWith("clipNorm");
    assertThatThrownBy(() -> new Tuning.Request("rmsprop", null, null).over(Tuning.DEFAULT))
        .hasMessage("solver must be one of sgd, adam; got 'rmsprop'");
  }

  @Test
  void requestProblemsNameTheFieldAndTheMethod() {
    assertThat(new Tuning.Request("rmsprop", -1.0, 20.0).problems("dann")).extracting(
        Problem::toString).containsExactly(
        "tuning.solver must be one of sgd, adam; got 'rmsprop'",
        "tuning.clipNorm must be a finite number >= 0 (0 = off) or null (the default), got -1.0",
        "tuning.lambdaMax must be in (0, 10] or null (the default), got 20.0");
    assertThat(new Tuning.Request("sgd", null, null).problems("adda")).extracting(
        Problem::toString).containsExactly("tuning.solver applies to source-only, dann,"
            + " cdan, cdan-e and mcc only"
        + " (adda and mean-teacher always use adam, shot-im and shot sgd), got 'sgd' for method 'adda'");
    assertThat(new Tuning.Request(null, null, null, false, null).problems("adda")).isEmpty();
    assertThat(new Tuning.Request(null, null, null, true, 2.0).problems("source-only"))
        .extracting(Problem::field)
        .containsExactly("tuning.classWeighting", "tuning.domainLearningRateScale");
    assertThat(new Tuning.Request("adam", 1.0, 0.5, false, null).misplaced(Method.ADDA))
        .containsExactly(Tuning.Knob.SOLVER, Tuning.Knob.LAMBDA_MAX);
    // With an unknown method (its own problem) only the values' limits are checked.
    assertThat(new Tuning.Request(null, null, 0.5).problems("magic")).isEmpty();
  }

  /** Every knob is a component of both records, under the same JSON name. */
  @Test
  void everyKnobIsAFieldOfTheTuningAndOfTheRequest() {
    var resolved = Arrays.stream(Tuning.class.getRecordComponents()).map(c -> c.getName());
    var asked = Arrays.stream(Tuning.Request.class.getRecordComponents()).map(c -> c.getName());
    var knobs = Arrays.stream(Tuning.Knob.values()).map(Tuning.Knob::field).toList();
    assertThat(resolved).containsExactlyElementsOf(knobs);
    assertThat(asked).containsExactlyElementsOf(knobs);
    for (var c : Tuning.Request.class.getRecordComponents()) {
      assertThat(c.isAnnotationPresent(Nullable.class)).as(c.getName()).isTrue();
    }
  }

  /** Configs stored before a knob existed read as its default; the solver is its Java name. */
  @Test
  void storedJsonStaysReadable() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Tuning t = Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM).withClipNorm(5).withLambdaMax(0.3)
        .withClassWeighting(true);
    ObjectNode tree = json.valueToTree(t);
    assertThat(tree.get("solver").asText()).isEqualTo("ADAM");
    assertThat(json.treeToValue(tree, Tuning.class)).isEqualTo(t);
    assertThat(json.readValue("{\"solver\":\"SGD\",\"clipNorm\":0.0,\"lambdaMax\":1.0}",
        Tuning.class)).isEqualTo(Tuning.DEFAULT);
    assertThat(json.readValue("{\"solver\":\"adam\",\"clipNorm\":5.0}", Tuning.Request.class))
        .isEqualTo(new Tuning.Request("adam", 5.0, null));
  }
}
