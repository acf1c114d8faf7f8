package dev.daflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RequestRules}: the one check of a request's values (the events' tests cover each field). */
class RequestRulesTest {

  private static List<String> problems(String method, String network, int epochs,
      Integer pretrainEpochs) {
    return Problem.texts(RequestRules.problems(method, network, epochs, 128, null, pretrainEpochs,
        "none", 0, null));
  }

  @Test
  void theLimitsAreEnforcedInFieldOrder() {
    assertThat(problems("dann", null, 10, null)).isEmpty();
    assertThat(problems("adda", "lenet", 10_000, 10_000)).isEmpty();
    assertThat(problems("x", "vgg", 0, null)).containsExactly(
        "method must be one of source-only, dann, adda, cdan, cdan-e, mcc, shot-im,"
            + " shot, mean-teacher; got 'x'",
        "network must be one of lenet, dann-svhn, adda-mnist64, adda-mnist64-in, dann-mnistm, lenet-bn; got 'vgg'",
        "epochs must be in 1..10000, got 0");
    assertThat(problems("dann", null, 1, 5))
        .containsExactly("pretrainEpochs applies to adda, shot-im and shot only, got 5 for method"
            + " 'dann'");
    assertThat(problems("adda", null, 1, 0))
        .containsExactly("pretrainEpochs must be in 1..10000, got 0");
  }

  @Test
  void aConfigurationAddsItsOwnLimits() {
    Recipe r = Method.DANN.recipe();
    assertThat(RequestRules.configProblems(Method.DANN, "lenet", r.epochs(), r.batchSize(),
        r.learningRate(), r.momentum(), r.weightDecay(), r.pretrainEpochs(),
        r.pretrainLearningRate(), r.augmentation())).isEmpty();
    // Pretraining epochs a method without pretraining ignores are no problem.
    assertThat(RequestRules.configProblems(Method.DANN, "lenet", 1, 1, 0.1, 0.9, 0, 7, 1e-3,
        Augmentation.NONE)).isEmpty();
    assertThat(Problem.texts(RequestRules.configProblems(Method.ADDA, "lenet", 1, 1, 10, 1, 0, 0,
        1e-3, Augmentation.COLOUR))).containsExactly(
        "pretrainEpochs must be in 1..10000, got 0",
        "learningRate must be in (0, 10), got 10.0",
        "momentum must be in [0, 1), got 1.0");
  }
}
