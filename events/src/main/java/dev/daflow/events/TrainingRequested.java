package dev.daflow.events;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Someone asked for a model to be trained. Produced on {@link Topics#TRAINING_REQUESTS} by
 * whatever accepts requests (trainer-service's REST API, the CLI); consumed by trainer-service,
 * which answers with {@link TrainingRejected} or {@link TrainingStarted}. A consumer calls {@link
 * #validate()} first: the record itself accepts any values so that a bad request can be read,
 * then rejected with its problems.
 *
 * @param jobId id of the job (the key), chosen by the requester: 1-128 letters, digits, {@code
 *     .}, {@code _} or {@code -}
 * @param modelName the model this job trains a version of; {@code null} means {@link
 *     #modelNameOrDefault()}
 * @param method {@code source-only}, {@code dann} or {@code adda}
 * @param source name of the labelled source dataset, e.g. {@code mnist}
 * @param target name of the unlabelled target dataset, e.g. {@code usps}
 * @param network architecture name; {@code null} means the default for the datasets' shape
 * @param epochs epochs of the main phase (ADDA: of the adversarial phase), 1..10000
 * @param batchSize pictures per domain per step, 1..4096
 * @param learningRate initial learning rate in (0, 10); {@code null} means the method's default
 * @param pretrainEpochs ADDA only: epochs of source pretraining, 1..10000; {@code null} means the
 *     default
 * @param augmentation source-picture augmentation: {@code none} or {@code colour}
 * @param seed seeds everything random in the run
 * @param trainLimit use at most this many training pictures per domain, 0 = all
 */
public record TrainingRequested(
    String jobId,
    @Nullable String modelName,
    String method,
    String source,
    String target,
    @Nullable String network,
    int epochs,
    int batchSize,
    @Nullable Double learningRate,
    @Nullable Integer pretrainEpochs,
    String augmentation,
    long seed,
    int trainLimit) implements DaflowEvent {

  /** The method ids trainer-service knows. */
  public static final List<String> METHODS = List.of("source-only", "dann", "adda");

  /** The augmentation ids trainer-service knows. */
  public static final List<String> AUGMENTATIONS = List.of("none", "colour");

  /**
   * Job ids, model and dataset names: safe as Kafka keys and inside object-store keys (no {@code
   * ..}, not {@code .} alone).
   */
  public static final Pattern NAME =
      Pattern.compile("(?!\\.$)(?!.*\\.\\.)[A-Za-z0-9._-]{1,128}");

  @Override
  public String key() {
    return jobId;
  }

  /** The model name, or {@code <method>-<source>-<target>} when none was given. */
  public String modelNameOrDefault() {
    return modelName != null ? modelName : method + "-" + source + "-" + target;
  }

  /**
   * Every problem with this request, each naming the field and its value; empty when the request
   * is valid. Checks only what needs no catalog: whether the datasets and the network exist is
   * for trainer-service to find out.
   */
  public List<String> validate() {
    List<String> problems = new ArrayList<>();
    name(problems, "jobId", jobId, true);
    name(problems, "modelName", modelName, false);
    oneOf(problems, "method", method, METHODS);
    name(problems, "source", source, true);
    name(problems, "target", target, true);
    if (network != null && network.isBlank()) {
      problems.add("network must be null (the default) or a network name, got '" + network + "'");
    }
    range(problems, "epochs", epochs, 1, 10_000);
    range(problems, "batchSize", batchSize, 1, 4096);
    if (learningRate != null && !(learningRate > 0 && learningRate < 10)) {
      problems.add("learningRate must be in (0, 10) or null (the default), got " + learningRate);
    }
    if (pretrainEpochs != null) {
      if ("adda".equals(method)) {
        range(problems, "pretrainEpochs", pretrainEpochs, 1, 10_000);
      } else {
        problems.add("pretrainEpochs applies to adda only, got " + pretrainEpochs + " for method '"
            + method + "'");
      }
    }
    oneOf(problems, "augmentation", augmentation, AUGMENTATIONS);
    if (trainLimit < 0) {
      problems.add("trainLimit must be >= 0 (0 = all pictures), got " + trainLimit);
    }
    return List.copyOf(problems);
  }

  /**
   * This request if it is valid.
   *
   * @throws IllegalArgumentException listing every problem {@link #validate()} finds
   */
  public TrainingRequested requireValid() {
    List<String> problems = validate();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid training request " + jobId + ": "
          + String.join("; ", problems));
    }
    return this;
  }

  private static void name(List<String> problems, String field, String value, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(field + " is required");
      }
    } else if (!NAME.matcher(value).matches()) {
      problems.add(field + " must be 1-128 letters, digits, '.', '_' or '-' (no '..'), got '"
          + value + "'");
    }
  }

  private static void oneOf(List<String> problems, String field, String value,
      List<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      problems.add(field + " must be one of " + String.join(", ", allowed) + "; got "
          + (value == null ? "null" : "'" + value + "'"));
    }
  }

  private static void range(List<String> problems, String field, int value, int min, int max) {
    if (value < min || value > max) {
      problems.add(field + " must be in " + min + ".." + max + ", got " + value);
    }
  }
}
