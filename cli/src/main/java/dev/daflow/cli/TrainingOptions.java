package dev.daflow.cli;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Range;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.train.TrainingConfig;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The training options shared by {@code daflow train} (a request to the platform) and {@code
 * daflow local train} (on this machine): network, epochs, batch size, learning rate,
 * augmentation, seed, the training-set limit and the tuning (solver, gradient clipping, DANN's
 * lambda scale, ...). Unset values stay null: the training contract's defaults apply ({@link
 * Method#recipe()}, through {@link TrainingConfig#of} locally), and the help shows them from
 * there ({@link TrainingHelp}).
 */
final class TrainingOptions {
  @Option(names = "--network", paramLabel = "NAME", converter = Converters.NetworkConverter.class,
      description = "${bundle:networks}. Default: from the datasets' picture shapes:"
          + " ${bundle:network.large} above 32 pixels (mnist64*), ${bundle:network.colour} in"
          + " colour (svhn), else ${bundle:network.grey}.")
  String network;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs of the main (ADDA: adversarial; SHOT-IM: target) phase. Default:"
          + " ${bundle:default.epochs}.")
  Integer epochs;

  @Option(names = "--pretrain-epochs", paramLabel = "N",
      description = "${bundle:pretraining.methods} only: epochs of supervised source"
          + " pretraining. Default:"
          + " ${bundle:default.pretrainEpochs}.")
  Integer pretrainEpochs;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Pictures per domain per step. Default: ${bundle:default.batchSize}.")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "X",
      description = "Initial learning rate. Default: ${bundle:default.learningRate}.")
  Double learningRate;

  @Option(names = "--augment", paramLabel = "KIND", converter = AugmentationConverter.class,
      description = "Photometric augmentation of source pictures: ${bundle:augmentations}"
          + " (colour: random inversion, contrast and offset per channel). Default:"
          + " ${bundle:default.augmentation}.")
  Augmentation augmentation;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of initialisation, batch order and dropout. Default:"
          + " ${bundle:default.seed}.")
  Long seed;

  @Option(names = "--train-limit", paramLabel = "N",
      description = "Use only the first N training pictures of each domain (0 = all). Default:"
          + " ${bundle:default.trainLimit}.")
  Integer trainLimit;

  @Option(names = "--solver", paramLabel = "NAME", converter = SolverConverter.class,
      description = "${bundle:solver.methods}: ${bundle:solvers} (sgd with momentum, the DANN"
          + " paper's). Default: ${bundle:default.solver}.")
  Tuning.Solver solver;

  @Option(names = "--clip-norm", paramLabel = "X", converter = ClipNormConverter.class,
      description = "Clip each step's gradients to this global L2 norm (0 = no clipping)."
          + " Default: ${bundle:default.clipNorm}.")
  Double clipNorm;

  @Option(names = "--lambda-max", paramLabel = "X", converter = LambdaMaxConverter.class,
      description = "${bundle:lambdaMax.methods}: scale the gradient-reversal factor's schedule,"
          + " ${bundle:lambdaMax.range}. Default: ${bundle:default.lambdaMax} (the paper's).")
  Double lambdaMax;

  @Option(names = "--class-weights", negatable = true, description = "dann only: weight the"
      + " source rows of the domain loss by the target's class proportions, estimated from the"
      + " model's predictions without target labels (IWDAN). Default: off (the paper's).")
  Boolean classWeighting;

  @Option(names = "--domain-lr-scale", paramLabel = "X", converter = DomainLrScaleConverter.class,
      description = "dann only: the domain classifier learns at X times the learning rate,"
          + " ${bundle:domainLrScale.range}. Default: ${bundle:default.domainLrScale} (the"
          + " paper's).")
  Double domainLearningRateScale;

  /** The option that sets each tuning knob (a test checks that every knob has one). */
  static final Map<Tuning.Knob, String> KNOB_OPTIONS = Map.of(
      Tuning.Knob.SOLVER, "--solver",
      Tuning.Knob.CLIP_NORM, "--clip-norm",
      Tuning.Knob.LAMBDA_MAX, "--lambda-max",
      Tuning.Knob.CLASS_WEIGHTING, "--class-weights",
      Tuning.Knob.DOMAIN_LEARNING_RATE_SCALE, "--domain-lr-scale");

  /** The network asked for, else the default for the pair of built-in datasets. */
  String network(String source, String target) {
    return network != null ? network : DefaultNetwork.forPair(source, target);
  }

  /** The augmentation asked for, else the method's default. */
  Augmentation augmentation(Method method) {
    return augmentation != null ? augmentation : method.recipe().augmentation();
  }

  /** The seed asked for, else the method's default. */
  long seed(Method method) {
    return seed != null ? seed : method.recipe().seed();
  }

  /** The training-picture limit asked for, else the method's default (all). */
  int trainLimit(Method method) {
    return trainLimit != null ? trainLimit : method.recipe().trainLimit();
  }

  /** The recipe these options describe for {@code method} on the pair of built-in datasets. */
  TrainingConfig config(Method method, String source, String target) {
    return TrainingConfig.of(method, network(source, target), epochs, pretrainEpochs, batchSize,
        learningRate, augmentation(method), seed(method), tuningRequest());
  }

  /** The tuning options given, each null where not given. */
  Tuning.Request tuningRequest() {
    return new Tuning.Request(solver == null ? null : solver.id(), clipNorm, lambdaMax,
        classWeighting, domainLearningRateScale);
  }

  /** The tuning options given, as a training request carries them; null if none was given. */
  Tuning.Request requestTuning() {
    Tuning.Request t = tuningRequest();
    return t.equals(Tuning.Request.NONE) ? null : t;
  }

  /**
   * The tuning options that {@code method} ignores, as a warning, or null: e.g. {@code --solver}
   * for adda (always Adam), {@code --lambda-max} for all but dann (the contract's {@link
   * Tuning.Knob}s say which).
   */
  String ignoredTuning(Method method) {
    String ignored = tuningRequest().misplaced(method).stream()
        .map(k -> KNOB_OPTIONS.get(k) + " applies to " + k.methodsText())
        .collect(Collectors.joining("; "));
    return ignored.isEmpty() ? null : ignored;
  }

  /** Reads {@code sgd} / {@code adam} (any case). */
  static final class SolverConverter implements ITypeConverter<Tuning.Solver> {
    @Override
    public Tuning.Solver convert(String value) {
      try {
        return Tuning.Solver.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A clip norm within the contract's limit. */
  static final class ClipNormConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      return checked(value, Tuning.Knob.CLIP_NORM);
    }
  }

  /** DANN's lambda scale within the contract's limit. */
  static final class LambdaMaxConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      return checked(value, Tuning.Knob.LAMBDA_MAX);
    }
  }

  /** DANN's domain-head learning-rate multiple within the contract's limit. */
  static final class DomainLrScaleConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      return checked(value, Tuning.Knob.DOMAIN_LEARNING_RATE_SCALE);
    }
  }

  /** {@code value} as a number within {@code knob}'s range, else the range's problem. */
  private static Double checked(String value, Tuning.Knob knob) {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a number");
    }
    Range range = knob.range().orElseThrow();
    range.check(v).ifPresent(p -> {
      throw new TypeConversionException(p.toString());
    });
    return v;
  }

  /** Reads {@code none} / {@code colour} (any case). */
  static final class AugmentationConverter implements ITypeConverter<Augmentation> {
    @Override
    public Augmentation convert(String value) {
      try {
        return Augmentation.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
