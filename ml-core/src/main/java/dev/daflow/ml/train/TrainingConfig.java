package dev.daflow.ml.train;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Network;
import dev.daflow.contract.Problem;
import dev.daflow.contract.Recipe;
import dev.daflow.contract.RequestRules;
import dev.daflow.contract.Tuning;

/**
 * Hyperparameters of one training run, as stored in checkpoints and model cards. What the values
 * may be and what they default to is the training contract's ({@code dev.daflow.contract}: {@link
 * Method#recipe()}, {@link Network#defaultTuning()}, {@link RequestRules}); see {@link
 * #defaults(Method, String)}.
 *
 * @param method the training method (docs/methods.md)
 * @param network architecture name (a {@link Network}'s)
 * @param epochs epochs of the main phase (ADDA: of the adversarial phase; SHOT-IM: of the target
 *     phase)
 * @param batchSize pictures per domain per step (DANN: 128 source + 128 target)
 * @param learningRate initial learning rate (source-only, DANN, CDAN, MCC, SHOT-IM's target phase:
 *     SGD lr0; ADDA: adversarial Adam; mean teacher: the student's Adam)
 * @param momentum SGD momentum; Adam beta1 for ADDA's adversarial phase and the mean teacher
 * @param weightDecay L2 weight decay added to every gradient
 * @param pretrainEpochs ADDA and SHOT-IM only: epochs of supervised source pretraining
 * @param pretrainLearningRate ADDA and SHOT-IM only: learning rate of pretraining (ADDA: Adam;
 *     SHOT-IM: SGD lr0)
 * @param seed seeds initialisation, batch order, dropout and augmentation: a run is a function of
 *     its seed
 * @param augmentation photometric augmentation of the source pictures ({@code null} reads as
 *     {@link Augmentation#NONE})
 * @param tuning departures from the papers' recipes (solver, gradient clipping, DANN's lambda
 *     scale); {@code null} reads as {@link Tuning#DEFAULT}
 */
public record TrainingConfig(
    Method method,
    String network,
    int epochs,
    int batchSize,
    double learningRate,
    double momentum,
    double weightDecay,
    int pretrainEpochs,
    double pretrainLearningRate,
    long seed,
    Augmentation augmentation,
    Tuning tuning) {

  /**
   * @throws IllegalArgumentException naming every value outside the contract's limits
   */
  public TrainingConfig {
    augmentation = augmentation == null ? Augmentation.NONE : augmentation;
    tuning = tuning == null ? Tuning.DEFAULT : tuning;
    Problem.requireNone(RequestRules.configProblems(method, network, epochs, batchSize,
        learningRate, momentum, weightDecay, pretrainEpochs, pretrainLearningRate, augmentation));
  }

  /**
   * The method's recipe ({@link Method#recipe()}) for a network, with the network's default
   * tuning ({@link Network#defaultTuning()}: clipping at 5 for {@code adda-mnist64-in}, none
   * otherwise).
   *
   * @throws IllegalArgumentException if the network is unknown
   */
  public static TrainingConfig defaults(Method method, String network) {
    Recipe r = method.recipe();
    return new TrainingConfig(method, network, r.epochs(), r.batchSize(), r.learningRate(),
        r.momentum(), r.weightDecay(), r.pretrainEpochs(), r.pretrainLearningRate(), r.seed(),
        r.augmentation(), Network.byId(network).defaultTuning());
  }

  /**
   * {@link #of(Method, String, Integer, Integer, Integer, Double, Augmentation, long,
   * Tuning.Request)} with no tuning asked for: the network's default tuning.
   */
  public static TrainingConfig of(Method method, String network, Integer epochs,
      Integer pretrainEpochs, Integer batchSize, Double learningRate, Augmentation augmentation,
      long seed) {
    return of(method, network, epochs, pretrainEpochs, batchSize, learningRate, augmentation, seed,
        Tuning.Request.NONE);
  }

  /**
   * The configuration a user's options describe: {@link #defaults} of the method and network, with
   * each given value put in ({@code null} keeps the default). The one mapping from options to a
   * config, shared by the CLI's {@code train} commands and trainer-service's training requests.
   *
   * @param network architecture name (see {@link Network#defaultFor} for a default)
   * @param augmentation {@code null} reads as {@link Augmentation#NONE}
   * @param tuning the tuning asked for ({@code null} reads as {@link Tuning.Request#NONE})
   * @throws IllegalArgumentException naming the invalid values
   */
  public static TrainingConfig of(Method method, String network, Integer epochs,
      Integer pretrainEpochs, Integer batchSize, Double learningRate, Augmentation augmentation,
      long seed, Tuning.Request tuning) {
    TrainingConfig c = defaults(method, network).withSeed(seed).withAugmentation(augmentation);
    c = c.withTuning((tuning == null ? Tuning.Request.NONE : tuning).over(c.tuning()));
    if (epochs != null) {
      c = c.withEpochs(epochs);
    }
    if (pretrainEpochs != null) {
      c = c.withPretrainEpochs(pretrainEpochs);
    }
    if (batchSize != null) {
      c = c.withBatchSize(batchSize);
    }
    if (learningRate != null) {
      c = c.withLearningRate(learningRate);
    }
    return c;
  }

  public TrainingConfig withEpochs(int e) {
    return new TrainingConfig(method, network, e, batchSize, learningRate, momentum, weightDecay,
        pretrainEpochs, pretrainLearningRate, seed, augmentation, tuning);
  }

  public TrainingConfig withPretrainEpochs(int e) {
    return new TrainingConfig(method, network, epochs, batchSize, learningRate, momentum,
        weightDecay, e, pretrainLearningRate, seed, augmentation, tuning);
  }

  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(method, network, epochs, batchSize, learningRate, momentum,
        weightDecay, pretrainEpochs, pretrainLearningRate, s, augmentation, tuning);
  }

  public TrainingConfig withBatchSize(int b) {
    return new TrainingConfig(method, network, epochs, b, learningRate, momentum, weightDecay,
        pretrainEpochs, pretrainLearningRate, seed, augmentation, tuning);
  }

  public TrainingConfig withLearningRate(double lr) {
    return new TrainingConfig(method, network, epochs, batchSize, lr, momentum, weightDecay,
        pretrainEpochs, pretrainLearningRate, seed, augmentation, tuning);
  }

  public TrainingConfig withAugmentation(Augmentation a) {
    return new TrainingConfig(method, network, epochs, batchSize, learningRate, momentum,
        weightDecay, pretrainEpochs, pretrainLearningRate, seed, a, tuning);
  }

  public TrainingConfig withTuning(Tuning t) {
    return new TrainingConfig(method, network, epochs, batchSize, learningRate, momentum,
        weightDecay, pretrainEpochs, pretrainLearningRate, seed, augmentation, t);
  }

  /** Epochs over all phases. */
  public int totalEpochs() {
    return method.usesPretraining() ? pretrainEpochs + epochs : epochs;
  }

  /**
   * A new optimiser of the tuning's solver for source-only, DANN, CDAN and MCC training (ADDA,
   * SHOT-IM and the mean teacher build their own).
   */
  Optimizer optimizer() {
    return switch (tuning.solver()) {
      case SGD -> new SgdMomentum(momentum, weightDecay);
      case ADAM -> new Adam(0.9, 0.999, 1e-8, weightDecay);
    };
  }
}
