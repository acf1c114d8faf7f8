package dev.daflow.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one check of a training request's values against the contract: names in the vocabulary,
 * numbers within their {@link Limits}, per-method fields on their methods, tuning knobs on theirs
 * ({@link Tuning.Request#problems}). Used by {@code TrainingRequested.validate()} (with the names
 * of the job, the model and the datasets), by ml-core's {@code TrainingConfig} (which adds its
 * configuration-only limits, {@link #configProblems}), by trainer-service (which adds what needs
 * the datasets) and by the CLI's option checks. Whether the datasets exist and the network fits
 * them is not the contract's to know.
 */
public final class RequestRules {
  private RequestRules() {}

  /**
   * Every problem of these request values, in field order; empty when they are valid.
   *
   * @param method a method's wire name
   * @param network a network's wire name, or {@code null} for the datasets' default
   * @param learningRate {@code null}: the method's default
   * @param pretrainEpochs {@code null}: the method's default; given, for ADDA and SHOT-IM only
   * @param augmentation an augmentation's wire name
   * @param tuning {@code null}: the network's default tuning
   */
  public static List<Problem> problems(String method, String network, int epochs, int batchSize,
      Double learningRate, Integer pretrainEpochs, String augmentation, int trainLimit,
      Tuning.Request tuning) {
    List<Problem> problems = new ArrayList<>();
    Named.check(Method.class, "method", method).ifPresent(problems::add);
    if (network != null) {
      Named.check(Network.class, "network", network).ifPresent(problems::add);
    }
    Limits.EPOCHS.check(epochs).ifPresent(problems::add);
    Limits.BATCH_SIZE.check(batchSize).ifPresent(problems::add);
    Limits.LEARNING_RATE.checkOptional("learningRate", learningRate).ifPresent(problems::add);
    if (pretrainEpochs != null) {
      boolean pretrains = Named.exact(Method.class, method).map(Method::usesPretraining)
          .orElse(true);
      if (pretrains) {
        Limits.PRETRAIN_EPOCHS.check(pretrainEpochs).ifPresent(problems::add);
      } else {
        problems.add(new Problem("pretrainEpochs", "applies to "
            + Method.pretrainingText() + " only, got " + pretrainEpochs
            + " for method '" + method + "'"));
      }
    }
    Named.check(Augmentation.class, "augmentation", augmentation).ifPresent(problems::add);
    Limits.TRAIN_LIMIT.check(trainLimit).ifPresent(problems::add);
    if (tuning != null) {
      problems.addAll(tuning.problems(method));
    }
    return List.copyOf(problems);
  }

  /**
   * The problems of a training configuration's values: {@link #problems} of what a request could
   * have asked for (pretraining epochs only for a method that pretrains: the others ignore them),
   * then the limits of the values only a configuration holds.
   */
  public static List<Problem> configProblems(Method method, String network, int epochs,
      int batchSize, double learningRate, double momentum, double weightDecay, int pretrainEpochs,
      double pretrainLearningRate, Augmentation augmentation) {
    List<Problem> problems = new ArrayList<>(problems(method.id(), network, epochs, batchSize,
        null, method.usesPretraining() ? pretrainEpochs : null, augmentation.id(), 0, null));
    Limits.LEARNING_RATE.check(learningRate).ifPresent(problems::add);
    if (network == null) {
      problems.add(new Problem("network", "is required"));
    }
    Limits.MOMENTUM.check(momentum).ifPresent(problems::add);
    Limits.WEIGHT_DECAY.check(weightDecay).ifPresent(problems::add);
    if (!method.usesPretraining() && pretrainEpochs < 0) {
      problems.add(new Problem("pretrainEpochs", "must be >= 0, got " + pretrainEpochs));
    }
    Limits.PRETRAIN_LEARNING_RATE.check(pretrainLearningRate).ifPresent(problems::add);
    return List.copyOf(problems);
  }

  /**
   * The problem of a job id, model or dataset name, if any: {@code null} is one when {@code
   * required}, any other value when it breaks {@link Limits#NAME}.
   */
  public static Optional<Problem> nameProblem(String field, String value, boolean required) {
    if (value == null) {
      return required ? Optional.of(new Problem(field, "is required")) : Optional.empty();
    }
    return Limits.NAME.matcher(value).matches() ? Optional.empty()
        : Optional.of(new Problem(field, "must be " + Limits.NAME_RULE + ", got '" + value + "'"));
  }
}
