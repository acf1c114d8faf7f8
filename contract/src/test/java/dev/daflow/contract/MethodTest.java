package dev.daflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-method facts: recipe, paper, knobs. */
class MethodTest {

  @Test
  void recipesAreThePapers() {
    Recipe dann = Method.DANN.recipe();
    assertThat(dann).isEqualTo(Method.SOURCE_ONLY.recipe());
    assertThat(dann.learningRate()).isEqualTo(0.01);
    assertThat(dann.momentum()).isEqualTo(0.9);
    assertThat(dann.pretrainEpochs()).isZero();
    Recipe adda = Method.ADDA.recipe();
    assertThat(adda.learningRate()).isEqualTo(2e-4);
    assertThat(adda.momentum()).isEqualTo(0.5);
    assertThat(adda.pretrainEpochs()).isEqualTo(5);
    // What a request leaves out is the same for every method.
    for (Method m : Method.values()) {
      assertThat(m.recipe().epochs()).isEqualTo(10);
      assertThat(m.recipe().batchSize()).isEqualTo(128);
      assertThat(m.recipe().seed()).isEqualTo(42);
      assertThat(m.recipe().augmentation()).isEqualTo(Augmentation.NONE);
      assertThat(m.recipe().trainLimit()).isZero();
    }
    assertThat(Method.recipeOf("adda")).isEqualTo(adda);
    assertThat(Method.recipeOf("nonsense").epochs()).isEqualTo(10);
  }

  @Test
  void perMethodFacts() {
    assertThat(Method.DANN.paper()).startsWith("Ganin & Lempitsky");
    assertThat(Method.ADDA.paper()).startsWith("Tzeng");
    assertThat(Method.SOURCE_ONLY.usesTarget()).isFalse();
    assertThat(Method.ADDA.usesPretraining()).isTrue();
    assertThat(Method.DANN.usesPretraining()).isFalse();
    assertThat(Method.DANN.knobs()).containsExactly(Tuning.Knob.values());
    assertThat(Method.SOURCE_ONLY.knobs())
        .containsExactly(Tuning.Knob.SOLVER, Tuning.Knob.CLIP_NORM);
    assertThat(Method.ADDA.knobs()).containsExactly(Tuning.Knob.CLIP_NORM);
    // CDAN trains as DANN does (Long et al. 2018, Sec. 4), with its own discriminator.
    assertThat(Method.CDAN.recipe()).isEqualTo(dannRecipe());
    assertThat(Method.CDAN_E.recipe()).isEqualTo(dannRecipe());
    assertThat(Method.CDAN.paper()).startsWith("Long, Cao, Wang & Jordan");
    assertThat(Method.CDAN_E.id()).isEqualTo("cdan-e");
    assertThat(Method.CDAN_E.knobs()).containsExactly(Tuning.Knob.SOLVER, Tuning.Knob.CLIP_NORM,
        Tuning.Knob.LAMBDA_MAX);
    assertThat(Method.parse("CDAN+E".replace('+', '-'))).isEqualTo(Method.CDAN_E);
    assertThat(Method.MCC.recipe()).isEqualTo(dannRecipe());
    assertThat(Method.MCC.paper()).startsWith("Jin, Wang, Long & Wang");
    assertThat(Method.MCC.knobs()).containsExactly(Tuning.Knob.SOLVER, Tuning.Knob.CLIP_NORM);
    // SHOT-IM: source training, then source-free adaptation; SGD in both (the authors' digits).
    Recipe shot = Method.SHOT_IM.recipe();
    assertThat(Method.SHOT_IM.id()).isEqualTo("shot-im");
    assertThat(Method.SHOT_IM.usesPretraining()).isTrue();
    assertThat(shot.learningRate()).isEqualTo(0.01);
    assertThat(shot.pretrainLearningRate()).isEqualTo(0.01);
    assertThat(shot.weightDecay()).isEqualTo(1e-3);
    assertThat(Method.SHOT_IM.knobs()).containsExactly(Tuning.Knob.CLIP_NORM);
    assertThat(Method.pretrainingText()).isEqualTo("adda, shot-im and shot");
    // The mean teacher: Adam at 1e-3 (French et al. 2018), no pretraining.
    assertThat(Method.MEAN_TEACHER.id()).isEqualTo("mean-teacher");
    assertThat(Method.MEAN_TEACHER.recipe().learningRate()).isEqualTo(1e-3);
    assertThat(Method.MEAN_TEACHER.usesPretraining()).isFalse();
    assertThat(Method.MEAN_TEACHER.knobs()).containsExactly(Tuning.Knob.CLIP_NORM);
  }

  private static Recipe dannRecipe() {
    return Method.DANN.recipe();
  }
}
