package dev.daflow.evaluator.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.evaluator.service.ModelReport.Distance;
import dev.daflow.evaluator.service.ModelReport.Embedding;
import dev.daflow.evaluator.service.ModelReport.EpochRow;
import dev.daflow.evaluator.service.ModelReport.Mistake;
import dev.daflow.evaluator.service.ModelReport.Point;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFiles;
import dev.daflow.ml.eval.DomainDistance;
import dev.daflow.ml.eval.FeatureSample;
import dev.daflow.ml.eval.PcaEmbedding;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.storage.JsonDocuments;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.Versioned;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Model reports: computed once per promoted version ({@link #onPromoted}) and stored beside the
 * job's evaluations ({@link ObjectKeys#report}), then read back for every view ({@link #report}),
 * never recomputed. A report holds the model card, the per-epoch accuracies (and any further
 * per-epoch figures, {@link #row}), the promoted bundle's confusion matrices and per-class
 * accuracies (from its stored evaluation), 2-D PCA embeddings ({@link PcaEmbedding}) and proxy
 * A-distances ({@link DomainDistance}) of the first and the last epoch's features on a sample of
 * source and target test pictures, and the first target test pictures the promoted bundle gets
 * wrong. Thread-safe.
 */
public final class ModelReports {
  private static final Logger LOG = Logger.getLogger(ModelReports.class);

  /** Target test pictures shown wrong at most. */
  public static final int MISTAKES = 48;

  private final EvaluationStore evaluations;
  private final JsonDocuments documents;
  private final TestSplits splits;
  private final Clock clock;
  private final int sample;

  /**
   * @param sample source and target test pictures each that the embeddings and the proxy
   *     A-distance are computed on (at least 4)
   */
  public ModelReports(EvaluationStore evaluations, ObjectStore store, TestSplits splits,
      Clock clock, int sample) {
    if (sample < 4) {
      throw new IllegalArgumentException("daflow.evaluator.report-sample must be >= 4, got "
          + sample);
    }
    this.evaluations = evaluations;
    this.documents = new JsonDocuments(store, EvaluationStore.JSON);
    this.splits = splits;
    this.clock = clock;
    this.sample = sample;
  }

  /**
   * The row of one evaluated epoch in the report's per-epoch table. Per-epoch figures beyond the
   * two accuracies go into {@code extra}, each a column: label-free validators belong here.
   */
  static EpochRow row(StoredEvaluation e) {
    // The epoch's label-free validators, each a column (sorted: the same order in every row).
    Map<String, Double> extra = new LinkedHashMap<>(new TreeMap<>(e.validators()));
    return new EpochRow(e.epoch(), e.sourceAccuracy(), e.targetAccuracy(), extra);
  }

  /**
   * Computes and stores the report of the version {@code jobId} was promoted as, unless it is
   * stored already for that bundle (a redelivered event).
   *
   * @return the report; empty if the job was not promoted
   * @throws Exception if a bundle, an evaluation or a test split cannot be read
   */
  public Optional<ModelReport> onPromoted(String modelName, String jobId) throws Exception {
    Optional<ModelRecord> record = evaluations.model(modelName);
    Optional<Version> version = record.flatMap(r -> r.versionOf(jobId));
    if (version.isEmpty()) {
      return Optional.empty();
    }
    Version v = version.get();
    Optional<ModelReport> stored = stored(jobId).filter(r -> r.sha256().equals(v.sha256())
        && r.version() == v.version());
    if (stored.isPresent()) {
      return stored;
    }
    ModelReport report = compute(record.get(), v);
    documents.put(ObjectKeys.report(jobId), report);
    LOG.infof("report of %s version %d (job %s) computed in %.1f s and stored at %s", modelName,
        v.version(), jobId, report.seconds(), ObjectKeys.report(jobId));
    return Optional.of(report);
  }

  /**
   * The stored report of a model's version.
   *
   * @return empty if the model has no such version or its report is not computed (yet)
   */
  public Optional<ModelReport> report(String modelName, int version) {
    return evaluations.model(modelName).flatMap(r -> r.version(version))
        .flatMap(v -> stored(v.jobId()));
  }

  private Optional<ModelReport> stored(String jobId) {
    return documents.read(ObjectKeys.report(jobId), ModelReport.class).map(Versioned::value);
  }

  ModelReport compute(ModelRecord record, Version v) throws IOException {
    long started = System.nanoTime();
    String jobId = v.jobId();
    StoredEvaluation promoted = evaluations.evaluation(v.evaluationKey()).orElseThrow(() ->
        new IllegalStateException("the evaluation " + v.evaluationKey() + " of "
            + record.modelName() + " version " + v.version() + " is gone"));
    List<StoredEvaluation> epochs = evaluations.evaluationsOf(jobId).stream()
        .filter(e -> StoredEvaluation.CHECKPOINT.equals(e.artifact())).toList();
    Optional<ModelRecord.Job> job = record.job(jobId);
    String sourceName = job.map(ModelRecord.Job::source)
        .orElse(datasetOf(promoted.report().source().dataset()));
    String targetName = job.map(ModelRecord.Job::target)
        .orElse(datasetOf(promoted.report().target().dataset()));

    Model last = ModelBundle.read(evaluations.bundle(v.bundleKey(), v.sha256()), v.bundleKey());
    ImageDataset source = splits.test(sourceName);
    ImageDataset target = splits.test(targetName);

    List<Embedding> embeddings = new ArrayList<>();
    List<Distance> distances = new ArrayList<>();
    StoredEvaluation first = epochs.isEmpty() ? promoted : epochs.get(0);
    boolean oneEpoch = first.epoch() == v.epoch(); // then the first is the last: drawn once
    Model firstModel = oneEpoch ? last : ModelBundle.read(evaluations.bundle(first.report().objectKey(), first.sha256()),
            first.report().objectKey());
    int n = Math.min(sample, Math.min(source.count(), target.count()));
    if (n >= 4) {
      int[] si = FeatureSample.indices(source.count(), n);
      int[] ti = FeatureSample.indices(target.count(), n);
      measure(firstModel, first.epoch(), source, si, target, ti, embeddings, distances);
      if (!oneEpoch) {
        measure(last, v.epoch(), source, si, target, ti, embeddings, distances);
      }
    }

    int[] predicted = last.predict(target);
    List<Mistake> mistakes = new ArrayList<>();
    int wrong = 0;
    for (int i = 0; i < target.count(); i++) {
      if (predicted[i] != target.labels()[i]) {
        wrong++;
        if (mistakes.size() < MISTAKES) {
          mistakes.add(new Mistake(i, Base64.getEncoder().encodeToString(
              PictureFiles.png(target, i)), last.classNames().get(predicted[i]),
              target.classNames().get(target.labels()[i])));
        }
      }
    }
    JsonNode card = last.card() == null ? null : EvaluationStore.JSON.valueToTree(last.card());
    double seconds = (System.nanoTime() - started) / 1e9;
    return new ModelReport(record.modelName(), v.version(), jobId, v.bundleKey(), v.sha256(),
        v.policy(), v.promotedAt(), card, sourceName, targetName,
        epochs.stream().map(ModelReports::row).toList(), last.classNames(),
        promoted.report().source(), promoted.report().target(), embeddings, distances, mistakes,
        wrong, clock.instant().toString(), Math.round(seconds * 100) / 100.0);
  }

  /** The embedding and the proxy A-distance of one model's features of the two samples. */
  private static void measure(Model model, int epoch, ImageDataset source, int[] si,
      ImageDataset target, int[] ti, List<Embedding> embeddings, List<Distance> distances) {
    INDArray fs;
    INDArray ft;
    try {
      fs = FeatureSample.of(model, source, si);
      ft = FeatureSample.of(model, target, ti);
    } catch (IllegalStateException e) { // a graph saved before features were named
      LOG.warnf("no features for the report of epoch %d: %s", epoch, e.getMessage());
      return;
    }
    DomainDistance.Result pad = DomainDistance.proxyA(fs, ft);
    distances.add(new Distance(epoch, pad.pad(), pad.heldOutError(), pad.pictures()));
    PcaEmbedding e = PcaEmbedding.of(Nd4j.vstack(fs, ft));
    List<Point> points = new ArrayList<>(si.length + ti.length);
    double[][] p = e.points();
    for (int i = 0; i < si.length; i++) {
      points.add(new Point(round(p[i][0]), round(p[i][1]), false, source.labels()[si[i]]));
    }
    for (int i = 0; i < ti.length; i++) {
      double[] q = p[si.length + i];
      points.add(new Point(round(q[0]), round(q[1]), true, target.labels()[ti[i]]));
    }
    embeddings.add(new Embedding(epoch, "PCA", List.of(e.explained()[0], e.explained()[1]),
        points));
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  /** {@code mnist} of {@code mnist/test}. */
  private static String datasetOf(String split) {
    int slash = split.indexOf('/');
    return slash < 0 ? split : split.substring(0, slash);
  }
}
