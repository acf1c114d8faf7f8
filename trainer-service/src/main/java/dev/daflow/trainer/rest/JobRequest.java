package dev.daflow.trainer.rest;

import dev.daflow.contract.Method;
import dev.daflow.contract.Recipe;
import dev.daflow.contract.Tuning;
import dev.daflow.events.TrainingRequested;
import java.util.UUID;

/**
 * The body of {@code POST /jobs}: a training request whose optional fields may be left out. What
 * a left-out field means is the training contract's: the method's {@link Method#recipe()}, the
 * network's default tuning, the default network for the datasets' picture shapes.
 *
 * @param jobId the job's id; left out: {@code job-} and 12 random hex digits
 * @param modelName the model; left out: {@code <method>-<source>-<target>}
 * @param method a method's wire name ({@code dann}, {@code cdan-e}...: {@link Method#ids()},
 *     docs/methods.md)
 * @param source labelled source dataset
 * @param target unlabelled target dataset
 * @param network architecture; left out: the default for the datasets' shape
 * @param epochs epochs of the main phase; left out: the method's default (10)
 * @param batchSize pictures per domain per step; left out: the method's default (128)
 * @param learningRate left out: the method's default
 * @param pretrainEpochs source pretraining epochs of ADDA and SHOT-IM; left out: the default
 * @param augmentation {@code none} or {@code colour}; left out: the method's default (none)
 * @param seed left out: the method's default (42)
 * @param trainLimit training pictures per domain, 0 = all; left out: 0
 * @param tuning {@code solver} ({@code sgd}/{@code adam}), {@code clipNorm}, {@code lambdaMax},
 *     {@code classWeighting}, {@code domainLearningRateScale}, each optional; left out: the
 *     network's default tuning (see {@link Tuning.Request})
 */
public record JobRequest(String jobId, String modelName, String method, String source,
    String target, String network, Integer epochs, Integer batchSize, Double learningRate,
    Integer pretrainEpochs, String augmentation, Long seed, Integer trainLimit,
    Tuning.Request tuning) {

  /** The event, defaults filled in (an unknown method is the event's problem to report). */
  TrainingRequested toEvent() {
    Recipe defaults = Method.recipeOf(method);
    return new TrainingRequested(
        jobId != null ? jobId : "job-" + UUID.randomUUID().toString().replace("-", "")
            .substring(0, 12),
        modelName, method, source, target, network,
        epochs != null ? epochs : defaults.epochs(),
        batchSize != null ? batchSize : defaults.batchSize(),
        learningRate, pretrainEpochs,
        augmentation != null ? augmentation : defaults.augmentation().id(),
        seed != null ? seed : defaults.seed(),
        trainLimit != null ? trainLimit : defaults.trainLimit(),
        tuning);
  }
}
