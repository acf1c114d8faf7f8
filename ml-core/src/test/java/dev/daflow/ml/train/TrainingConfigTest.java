package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link TrainingConfig#of}: the method's defaults with the given options put in. */
class TrainingConfigTest {

  @Test
  void nullOptionsKeepTheMethodsDefaults() {
    TrainingConfig c = TrainingConfig.of(Method.ADDA, "lenet", null, null, null, null, null, 7);
    assertThat(c).isEqualTo(TrainingConfig.defaults(Method.ADDA, "lenet").withSeed(7));
    assertThat(c.augmentation()).isEqualTo(Augmentation.NONE);
  }

  @Test
  void givenOptionsReplaceTheDefaults() {
    TrainingConfig c = TrainingConfig.of(Method.DANN, "lenet", 3, null, 64, 0.005,
        Augmentation.COLOUR, 1);
    assertThat(c.epochs()).isEqualTo(3);
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.learningRate()).isEqualTo(0.005);
    assertThat(c.augmentation()).isEqualTo(Augmentation.COLOUR);
    assertThat(c.seed()).isEqualTo(1);
    assertThat(c.momentum()).isEqualTo(0.9); // still the method's default
  }

  @Test
  void invalidOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "lenet", 0, null, null, null, null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epochs");
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "vgg", null, null, null, null, null,
        1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown network");
  }
}
