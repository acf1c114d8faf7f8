package dev.daflow.cli;

import dev.daflow.ml.train.Augmentation;
import dev.daflow.ml.train.Method;
import dev.daflow.ml.train.TrainingConfig;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The training options shared by {@code daflow train} (a request to the platform) and {@code
 * daflow local train} (on this machine): network, epochs, batch size, learning rate,
 * augmentation, seed and the training-set limit. Unset numbers stay null: {@link
 * TrainingConfig#of} applies the method's defaults, the one mapping of options to a recipe.
 */
final class TrainingOptions {
  @Option(names = "--network", paramLabel = "NAME", converter = Converters.NetworkConverter.class,
      description = "lenet, dann-svhn or adda-mnist64. Default: adda-mnist64 if a dataset is"
          + " mnist64*, dann-svhn if svhn is involved, else lenet.")
  String network;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs of the main (for ADDA: adversarial) phase. Default: 10.")
  Integer epochs;

  @Option(names = "--pretrain-epochs", paramLabel = "N",
      description = "ADDA only: epochs of supervised source pretraining. Default: 5.")
  Integer pretrainEpochs;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Pictures per domain per step. Default: 128.")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "X",
      description = "Initial learning rate. Default: 0.01 (dann, source-only), 2e-4 (adda).")
  Double learningRate;

  @Option(names = "--augment", paramLabel = "KIND", defaultValue = "none",
      converter = AugmentationConverter.class,
      description = "Photometric augmentation of source pictures: none or colour (random "
          + "inversion, contrast and offset per channel). Default: ${DEFAULT-VALUE}.")
  Augmentation augmentation;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of initialisation, batch order and dropout. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
      description = "Use only the first N training pictures of each domain (0 = all).")
  int trainLimit;

  /** The network asked for, else the default for the pair. */
  String network(String source, String target) {
    return network != null ? network : DefaultNetwork.forPair(source, target);
  }

  /** The recipe these options describe for {@code method} on the pair. */
  TrainingConfig config(Method method, String source, String target) {
    return TrainingConfig.of(method, network(source, target), epochs, pretrainEpochs, batchSize,
        learningRate, augmentation, seed);
  }

  /** {@code none} or {@code colour}, as events and bundles spell it. */
  String augmentationName() {
    return augmentation.name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code none} / {@code colour} (any case). */
  static final class AugmentationConverter implements ITypeConverter<Augmentation> {
    @Override
    public Augmentation convert(String value) {
      try {
        return Augmentation.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unknown augmentation '" + value + "'; known: none, colour");
      }
    }
  }
}
