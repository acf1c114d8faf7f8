package dev.daflow.ml.job;

import dev.daflow.contract.Method;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.FramingDecision;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.data.SourceHoldout;
import dev.daflow.ml.eval.EvaluationReport;
import dev.daflow.ml.eval.Evaluator;
import dev.daflow.ml.model.Checksums;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelCard;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.DomainAdaptationTrainer;
import dev.daflow.ml.train.DomainData;
import dev.daflow.ml.train.TrainingCancelledException;
import dev.daflow.ml.train.TrainingListener;
import dev.daflow.ml.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link JobSpec}: loads both domains from a {@link DatasetSource} (the local catalog, or
 * the object store in the services), fits the preprocessing on the source training split, trains
 * (resuming from checkpoints) and fills in the model card with the training figures ({@link
 * #train}); {@link #run} then also evaluates the model on both test splits with {@link Evaluator}
 * ({@code daflow local}, benchmarks). On the platform the trainer only trains, and
 * evaluator-service evaluates each bundle once. The target's training labels are dropped before
 * training; its test labels only feed the report.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private final DatasetSource catalog;

  /** Receives the model as it is after each epoch, e.g. to publish it for evaluation. */
  @FunctionalInterface
  public interface EpochModels {
    /** Never called: for runs that want no per-epoch models. */
    EpochModels NONE = (epoch, model) -> {};

    /**
     * Called on the training thread after each epoch's checkpoint.
     *
     * @param epoch the finished epoch
     * @param model the encoder and classifier after that epoch, with the run's preprocessing,
     *     class names and a model card without metrics
     */
    void onEpochModel(TrainingListener.Epoch epoch, Model model) throws IOException;
  }

  public JobRunner(DatasetSource catalog) {
    this.catalog = catalog;
  }

  /**
   * Trains, then evaluates on both test splits: the model's card gets the test accuracies beside
   * the training figures.
   *
   * @param checkpointDir folder for epoch checkpoints (resumed from), or null
   */
  public JobResult run(JobSpec spec, TrainingListener listener, CancellationToken cancel,
      Path checkpointDir) throws IOException {
    return run(spec, listener, cancel, checkpointDir, EpochModels.NONE);
  }

  /**
   * As {@link #run(JobSpec, TrainingListener, CancellationToken, Path)}, also handing the model
   * after each epoch to {@code epochModels}.
   */
  public JobResult run(JobSpec spec, TrainingListener listener, CancellationToken cancel,
      Path checkpointDir, EpochModels epochModels) throws IOException {
    return evaluate(spec, train(spec, listener, cancel, checkpointDir, epochModels));
  }

  /**
   * Evaluates a trained model on both test splits and adds the accuracies to its card ({@code
   * source_test_accuracy}, {@code target_test_accuracy}).
   */
  public JobResult evaluate(JobSpec spec, TrainedModel trained) throws IOException {
    Model model = trained.model();
    // The source split as the network sees the source domain (its source batch statistics).
    EvaluationReport src = Evaluator.evaluate(model.sourceView(),
        catalog.load(spec.source(), Split.TEST));
    EvaluationReport tgt = Evaluator.evaluate(model, catalog.load(spec.target(), Split.TEST));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("source_test_accuracy", src.accuracy());
    metrics.put("target_test_accuracy", tgt.accuracy());
    metrics.putAll(model.card().metrics());
    return new JobResult(model.withCard(model.card().withMetrics(metrics)), trained.training(),
        src, tgt);
  }

  /**
   * Trains without touching a test split: the model's card has the training figures only (the
   * last epoch's mean losses as {@code last_epoch_<loss>}) and names the source pictures held
   * out of training ({@link JobSpec#sourceValidation()}, {@link SourceHoldout}). The model after the last epoch, which
   * {@code epochModels} also received, has the same weights.
   */
  public TrainedModel train(JobSpec spec, TrainingListener listener, CancellationToken cancel,
      Path checkpointDir, EpochModels epochModels) throws IOException {
    Architecture arch = Architectures.byName(spec.config().network());
    ImageDataset sourceTrain = catalog.load(spec.source(), Split.TRAIN,
        spec.trainLimit());
    ImageDataset targetTrain = catalog.load(spec.target(), Split.TRAIN,
        spec.trainLimit());
    // The source pictures held out for validation are never trained on (nor standardised by).
    SourceHoldout.Parts parts = SourceHoldout.split(sourceTrain, spec.sourceValidation(),
        spec.config().seed());
    ModelCard.SourceValidation held = parts.heldOut().count() == 0 ? null
        : new ModelCard.SourceValidation(spec.sourceValidation(), spec.config().seed(),
            parts.heldOut().count(), Checksums.of(parts.heldOut()));
    // One framing for both domains, decided from their pictures (never from labels).
    FramingDecision framing = FramingDecision.decide(arch.framing(), arch.input().channels(),
        sourceTrain, spec.config().method() == Method.SOURCE_ONLY ? null : targetTrain);
    LOG.info("framing: {}", framing.reason());
    // The source split framed once; standardisation statistics come from it alone.
    ImageDataset shapedSource = Preprocessing.shape(parts.train(), arch.input(),
        framing.framing());
    Preprocessing pre = Preprocessing.fitShaped(shapedSource, arch.input(), framing.framing(),
        Scaling.UNIT);
    // Source-only training of a batch-normalised network reads the target's pictures too, for
    // AdaBN's statistics of the exported model (never its labels).
    DomainData data = DomainData.ofShapedSource(shapedSource,
        spec.config().method() == Method.SOURCE_ONLY && !arch.batchNormalised() ? null
            : targetTrain, pre);

    // Loading can take a while (MNIST-64 builds its pictures): honour a cancel that came meanwhile.
    if (cancel.isCancelled()) {
      throw new TrainingCancelledException(0);
    }
    // The card's references to the training pictures (their SHA-256 over every picture): once
    // per job, not at every epoch's end.
    ModelCard.DatasetRef sourceRef = ModelCard.DatasetRef.of(sourceTrain);
    ModelCard.DatasetRef targetRef = spec.config().method() == Method.SOURCE_ONLY
        && !arch.batchNormalised() ? null : ModelCard.DatasetRef.of(targetTrain);
    TrainingListener withModels = listener;
    if (epochModels != EpochModels.NONE) {
      withModels = TrainingListener.all(listener, new TrainingListener() {
        @Override
        public void onEpochEnd(TrainingListener.Epoch epoch) {
          ModelCard card = card(spec, arch, sourceRef, targetRef, epoch.seconds(),
              epoch.imagesPerSecond()).withSourceValidation(held).withFraming(framing);
          Model model = new Model(epoch.inference().get(), arch.name(), pre,
              sourceTrain.classNames(), card);
          try {
            epochModels.onEpochModel(epoch, model);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    }
    TrainingResult result;
    try {
      result = new DomainAdaptationTrainer(spec.config(), checkpointDir)
          .fit(data, withModels, cancel);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }

    // The card: the run's figures and its training metrics, no test accuracy.
    Map<String, Double> metrics = new LinkedHashMap<>();
    result.lastLosses().forEach((k, v) -> metrics.put("last_epoch_" + k, v));
    ModelCard card = card(spec, arch, sourceRef, targetRef, result.seconds(),
        result.imagesPerSecond()).withMetrics(metrics).withSourceValidation(held)
        .withFraming(framing);
    Model model = new Model(result.inference(), arch.name(), pre, sourceTrain.classNames(), card);
    return new TrainedModel(model, result);
  }

  private static ModelCard card(JobSpec spec, Architecture arch, ModelCard.DatasetRef source,
      ModelCard.DatasetRef target, double seconds, double imagesPerSecond) {
    return new ModelCard(spec.config().method().id(), spec.config().method().paper(),
        spec.config(), source, target,
        Map.of(), seconds, imagesPerSecond, Versions.libraries(), Instant.now().toString())
        .withRequestedBy(spec.requestedBy()).withNormalisation(normalisation(spec, arch));
  }

  /** What the card says of a batch-normalised network's statistics; null without any. */
  static String normalisation(JobSpec spec, Architecture arch) {
    if (!arch.batchNormalised()) {
      return null;
    }
    String served = "the model normalises with the target domain's statistics (AdaBN, Li et al."
        + " 2018)";
    return switch (spec.config().method()) {
      case SOURCE_ONLY -> "batch normalisation trained on source batches; " + served
          + ", estimated in one pass over up to " + dev.daflow.ml.nn.BatchNorm.ADABN_PICTURES
          + " target training pictures (no labels) after training";
      case ADDA, SHOT_IM, SHOT -> "batch normalisation with source statistics in source"
          + " training and target statistics, started from the source's, in the adaptation; "
          + served;
      default -> "batch normalisation with statistics per domain, each from its own half of the"
          + " joint batches (DSBN, Chang et al. 2019); " + served;
    };
  }
}
