package dev.daflow.events;

import dev.daflow.contract.Limits;
import dev.daflow.contract.Problem;
import dev.daflow.contract.RequestRules;
import dev.daflow.contract.Tuning;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Someone asked for a model to be trained. Produced on {@link Topics#TRAINING_REQUESTS} by
 * whatever accepts requests (trainer-service's REST API, the CLI); consumed by trainer-service,
 * which answers with {@link TrainingRejected} or {@link TrainingStarted}. A consumer calls {@link
 * #validate()} first: the record itself accepts any values so that a bad request can be read,
 * then rejected with its problems. What a valid request is (names, limits, defaults) is the
 * training contract's ({@code dev.daflow.contract}); this record is its wire form.
 *
 * @param jobId id of the job (the key), chosen by the requester: 1-128 letters, digits, {@code
 *     .}, {@code _} or {@code -}
 * @param modelName the model this job trains a version of; {@code null} means {@link
 *     #modelNameOrDefault()}
 * @param method a {@link dev.daflow.contract.Method} wire name: {@code source-only}, {@code
 *     dann} or {@code adda}
 * @param source name of the labelled source dataset, e.g. {@code mnist}
 * @param target name of the unlabelled target dataset, e.g. {@code usps}
 * @param network a {@link dev.daflow.contract.Network} wire name; {@code null} means the default
 *     for the datasets' shape
 * @param epochs epochs of the main phase (ADDA: of the adversarial phase), {@link Limits#EPOCHS}
 * @param batchSize pictures per domain per step, {@link Limits#BATCH_SIZE}
 * @param learningRate initial learning rate, {@link Limits#LEARNING_RATE}; {@code null} means the
 *     method's default
 * @param pretrainEpochs ADDA only: epochs of source pretraining, {@link Limits#PRETRAIN_EPOCHS};
 *     {@code null} means the default
 * @param augmentation source-picture augmentation: {@code none} or {@code colour}
 * @param seed seeds everything random in the run
 * @param trainLimit use at most this many training pictures per domain, 0 = all
 * @param tuning departures from the papers' recipe ({@link Tuning.Request}: solver, gradient
 *     clipping, DANN's lambda scale, ...); {@code null} (or absent, as in requests from before the
 *     field existed) and {@code null} fields inside it mean the network's default tuning
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
    int trainLimit,
    @Nullable Tuning.Request tuning) implements DaflowEvent {

  /** A request with the network's default tuning ({@code tuning} null). */
  public TrainingRequested(String jobId, String modelName, String method, String source,
      String target, String network, int epochs, int batchSize, Double learningRate,
      Integer pretrainEpochs, String augmentation, long seed, int trainLimit) {
    this(jobId, modelName, method, source, target, network, epochs, batchSize, learningRate,
        pretrainEpochs, augmentation, seed, trainLimit, null);
  }

  /** This request with another {@code tuning} ({@code null}: the network's default). */
  public TrainingRequested withTuning(Tuning.Request t) {
    return new TrainingRequested(jobId, modelName, method, source, target, network, epochs,
        batchSize, learningRate, pretrainEpochs, augmentation, seed, trainLimit, t);
  }

  /** The tuning asked for, {@link Tuning.Request#NONE} when none. */
  public Tuning.Request tuningOrDefault() {
    return tuning != null ? tuning : Tuning.Request.NONE;
  }

  /** Job ids, model and dataset names: the contract's {@link Limits#NAME}. */
  public static final Pattern NAME = Limits.NAME;

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
   * is valid: the names of the job, the model and the datasets, then the contract's check of the
   * rest ({@link RequestRules#problems}). Whether the datasets exist and the network fits them is
   * for trainer-service to find out.
   */
  public List<String> validate() {
    List<Problem> problems = new ArrayList<>();
    RequestRules.nameProblem("jobId", jobId, true).ifPresent(problems::add);
    RequestRules.nameProblem("modelName", modelName, false).ifPresent(problems::add);
    RequestRules.nameProblem("source", source, true).ifPresent(problems::add);
    RequestRules.nameProblem("target", target, true).ifPresent(problems::add);
    problems.addAll(RequestRules.problems(method, network, epochs, batchSize, learningRate,
        pretrainEpochs, augmentation, trainLimit, tuning));
    return Problem.texts(problems);
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
}
