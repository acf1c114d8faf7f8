package dev.daflow.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
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
  void noTuningOptionIsTheNetworksDefaultTuning() {
    TrainingConfig lenet = TrainingConfig.of(Method.DANN, "lenet", null, null, null, null, null, 1,
        Tuning.Request.NONE);
    assertThat(lenet.tuning()).isEqualTo(Tuning.DEFAULT);
    // The MNIST-64 network's recipe clips gradients at norm 5; the plain one does not.
    TrainingConfig in = TrainingConfig.of(Method.DANN, "adda-mnist64-in", null, null, null, null,
        null, 1, null);
    assertThat(in.tuning()).isEqualTo(Tuning.DEFAULT.withClipNorm(5));
    assertThat(TrainingConfig.defaults(Method.ADDA, "adda-mnist64-in").tuning().clipNorm())
        .isEqualTo(5);
    assertThat(TrainingConfig.defaults(Method.ADDA, "adda-mnist64").tuning())
        .isEqualTo(Tuning.DEFAULT);
  }

  @Test
  void givenTuningOptionsReplaceTheDefaults() {
    TrainingConfig c = TrainingConfig.of(Method.DANN, "lenet", null, null, null, null, null, 1,
        new Tuning.Request("adam", 2.5, 0.3));
    assertThat(c.tuning()).isEqualTo(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM)
        .withClipNorm(2.5).withLambdaMax(0.3));
    // One option given: the others keep the network's default, and 0 turns its clipping off.
    TrainingConfig off = TrainingConfig.of(Method.DANN, "adda-mnist64-in", null, null, null, null,
        null, 1, new Tuning.Request(null, 0.0, null));
    assertThat(off.tuning()).isEqualTo(Tuning.DEFAULT);
    TrainingConfig adam = TrainingConfig.of(Method.DANN, "adda-mnist64-in", null, null, null, null,
        null, 1, new Tuning.Request("ADAM", null, null));
    assertThat(adam.tuning()).isEqualTo(Tuning.DEFAULT.withClipNorm(5)
        .withSolver(Tuning.Solver.ADAM));
  }

  @Test
  void invalidTuningOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "lenet", null, null, null, null, null,
        1, new Tuning.Request(null, -1.0, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clipNorm");
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "lenet", null, null, null, null, null,
        1, new Tuning.Request(null, null, 0.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("lambdaMax");
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "lenet", null, null, null, null, null,
        1, new Tuning.Request("rmsprop", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("solver must be one of sgd, adam; got 'rmsprop'");
  }

  @Test
  void invalidOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "lenet", 0, null, null, null, null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epochs");
    assertThatThrownBy(() -> TrainingConfig.of(Method.DANN, "vgg", null, null, null, null, null,
        1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network must be one of")
        .hasMessageContaining("got 'vgg'");
  }

  /** A config as checkpoints and model cards stored it before the contract module: still read. */
  @Test
  void storedConfigsStayReadable() throws Exception {
    String stored = "{\"method\":\"ADDA\",\"network\":\"adda-mnist64-in\",\"epochs\":10,"
        + "\"batchSize\":128,\"learningRate\":2.0E-4,\"momentum\":0.5,\"weightDecay\":1.0E-5,"
        + "\"pretrainEpochs\":5,\"pretrainLearningRate\":0.001,\"seed\":42,"
        + "\"augmentation\":\"COLOUR\",\"tuning\":{\"solver\":\"SGD\",\"clipNorm\":5.0,"
        + "\"lambdaMax\":1.0}}";
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    TrainingConfig c = json.readValue(stored, TrainingConfig.class);
    assertThat(c).isEqualTo(TrainingConfig.defaults(Method.ADDA, "adda-mnist64-in")
        .withAugmentation(Augmentation.COLOUR));
    assertThat(json.readValue(json.writeValueAsString(c), TrainingConfig.class)).isEqualTo(c);
  }
}
