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
import dev.daflow.ml.model.ModelCard;
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
 * source and target test pictures, the proxy A-distance before adaptation on the same pictures
 * ({@link #references}: the job's source pre-training, else a registered source-only model of
 * the same domains, else the input pixels; named on the page), and the first target test
 * pictures the promoted bundle gets wrong. A report is of a job's promoted bundle; the page of a
 * version promoted by hand shows it with that version's promotion ({@link
 * ModelReport#asVersion}). Thread-safe.
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
   * The stored report of a model's version: the report of its job's bundle, with the version's
   * own promotion (number, policy, time, who promoted it by hand and from which version).
   *
   * @return empty if the model has no such version or its bundle's report is not computed (yet)
   */
  public Optional<ModelReport> report(String modelName, int version) {
    return evaluations.model(modelName).flatMap(r -> r.version(version))
        .flatMap(v -> stored(v.jobId()).filter(r -> r.bundleKey().equals(v.bundleKey())
            && r.sha256().equals(v.sha256())).map(r -> r.asVersion(v)));
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
    ModelReport.Reference reference = null;
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
      // Before adaptation: the first epoch above is already adapted (one epoch of it).
      ModelCard lastCard = last.card();
      Subject subject = new Subject(jobId, job.map(ModelRecord.Job::method)
          .orElse(lastCard == null ? null : lastCard.method()),
          lastCard == null || lastCard.config() == null ? 0
              : lastCard.config().method().usesPretraining()
                  ? lastCard.config().pretrainEpochs() : 0,
          v.epoch(), last.network(), sourceName, targetName);
      for (ReferencePlan plan : references(subject, epochs, evaluations.models())) {
        reference = measureReference(plan, last, source, si, target, ti);
        if (reference != null) {
          break;
        }
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
        wrong, clock.instant().toString(), Math.round(seconds * 100) / 100.0, reference,
        v.promotedBy(), v.promotedFrom());
  }

  /**
   * The model a report is of, as far as choosing its before-adaptation reference goes.
   *
   * @param jobId its job
   * @param method its method's id ({@code dann}); null if not known
   * @param pretrainEpochs epochs of its source pre-training (ADDA, SHOT-IM); 0 if it has none
   * @param epoch the 0-based epoch the promoted bundle ends
   * @param network its network
   * @param source the source dataset
   * @param target the target dataset
   */
  record Subject(String jobId, String method, int pretrainEpochs, int epoch, String network,
      String source, String target) {}

  /**
   * One way of measuring the proxy A-distance before adaptation ({@link ModelReport.Reference}).
   *
   * @param kind {@link ModelReport#SOURCE_PHASE}, {@link ModelReport#SOURCE_ONLY_MODEL} or {@link
   *     ModelReport#INPUT_PIXELS}
   * @param bundleKey the bundle whose features are measured; null: the input pixels
   * @param sha256 its SHA-256 as evaluated; null: the object's own
   * @param description the reference in words, as the page names it
   */
  record ReferencePlan(String kind, String bundleKey, String sha256, String description) {}

  /** Source-only models tried as references at most. */
  static final int SOURCE_ONLY_TRIES = 3;

  /**
   * The references a report's "before adaptation" proxy A-distance may be measured on, best
   * first; the first that can be measured is used, and the input pixels, last, always can:
   *
   * <ol>
   *   <li>a method with a source pre-training phase (ADDA, SHOT-IM): the job's own bundle of the
   *       last pre-training epoch, the source-only network adaptation starts from (the trainer
   *       exports the pretrained source network after each epoch of that phase);
   *   <li>otherwise (DANN, CDAN, MCC, mean teacher, trained jointly from the first step): a
   *       promoted version of a source-only job of the same source and target datasets, of any
   *       model, the same network first, the most recently promoted first; nothing is trained
   *       for it;
   *   <li>the input pixels, as the model's input layer takes them: the domain shift as a linear
   *       classifier sees it in the pictures, with no model. A source-only model is not adapted
   *       at all, so its report goes straight to this.
   * </ol>
   *
   * @param epochs the job's epoch evaluations (to verify the pre-training bundle by)
   * @param models every model the evaluator knows
   */
  static List<ReferencePlan> references(Subject s, List<StoredEvaluation> epochs,
      List<ModelRecord> models) {
    List<ReferencePlan> out = new ArrayList<>();
    String pair = s.source() + " -> " + s.target();
    boolean sourceOnly = dev.daflow.contract.Method.SOURCE_ONLY.id().equals(s.method());
    if (!sourceOnly && s.pretrainEpochs() > 0) {
      int e = s.pretrainEpochs() - 1;
      String key = ObjectKeys.checkpointBundle(s.jobId(), e);
      String sha = epochs.stream().filter(x -> x.epoch() == e && x.report().objectKey()
          .equals(key)).map(StoredEvaluation::sha256).findFirst().orElse(null);
      out.add(new ReferencePlan(ModelReport.SOURCE_PHASE, key, sha, "this job's source-only "
          + "network at the end of " + s.method() + "'s source pre-training (epoch " + e + ", "
          + key + "): the model adaptation starts from"
          + (s.epoch() <= e ? "; the promoted bundle is from that phase too, not adapted" : "")));
    }
    if (!sourceOnly) {
      record Candidate(ModelRecord model, ModelRecord.Version version, ModelRecord.Job job) {}
      List<Candidate> found = new ArrayList<>();
      java.util.Set<String> bundles = new java.util.HashSet<>();
      for (ModelRecord m : models) {
        for (ModelRecord.Version v : m.versions()) {
          Optional<ModelRecord.Job> j = m.job(v.jobId());
          if (j.isPresent() && !v.jobId().equals(s.jobId())
              && dev.daflow.contract.Method.SOURCE_ONLY.id().equals(j.get().method())
              && s.source().equals(j.get().source()) && s.target().equals(j.get().target())
              && bundles.add(v.bundleKey())) {
            found.add(new Candidate(m, v, j.get()));
          }
        }
      }
      found.sort(java.util.Comparator.comparing((Candidate c) -> !java.util.Objects.equals(
          c.job().network(), s.network())).thenComparing(c -> c.version().promotedAt(),
          java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
      found.stream().limit(SOURCE_ONLY_TRIES).forEach(c -> out.add(new ReferencePlan(
          ModelReport.SOURCE_ONLY_MODEL, c.version().bundleKey(), c.version().sha256(),
          "source-only model " + c.model().modelName() + " version " + c.version().version()
              + " (job " + c.job().jobId() + ", network " + (c.job().network() == null
                  ? "not recorded" : c.job().network()) + (java.util.Objects.equals(
                      c.job().network(), s.network()) ? ", the same as this model's" : ", not "
                      + "this model's " + s.network()) + "), trained on " + s.source()
              + " alone for " + pair + ": the shift as a model that was never adapted sees "
              + "it. " + (s.pretrainEpochs() > 0 ? "This job's source pre-training bundle "
                  + "could not be read" : (s.method() == null ? "This model's method is not "
                  + "recorded" : s.method() + " has no source-only phase") + " to measure "
                  + "instead"))));
    }
    out.add(new ReferencePlan(ModelReport.INPUT_PIXELS, null, null, "the pictures "
        + "as this model's input layer takes them (framed, scaled and standardised by "
        + "its preprocessing); the shift as a linear classifier sees it in the pictures "
        + "themselves. " + (sourceOnly ? "This model is trained on the source alone and never "
            + "adapted: its own proxy A-distance is itself a before-adaptation figure"
            : (s.pretrainEpochs() > 0 ? "This job's source pre-training bundle could not be "
                + "read" : "No source pre-training phase in this job") + " and no source-only "
                + "model of " + pair + " is registered (or none could be read)")
        + ". Pixels and features are different spaces: compare with care"));
    return out;
  }

  /** The proxy A-distance of a reference on the report's samples; null if it cannot be had. */
  private ModelReport.Reference measureReference(ReferencePlan plan, Model promoted,
      ImageDataset source, int[] si, ImageDataset target, int[] ti) {
    try {
      INDArray fs;
      INDArray ft;
      if (plan.bundleKey() == null) {
        fs = FeatureSample.pixels(promoted.preprocessing(), source, si);
        ft = FeatureSample.pixels(promoted.preprocessing(), target, ti);
      } else {
        Model m = ModelBundle.read(evaluations.bundle(plan.bundleKey(), plan.sha256()),
            plan.bundleKey());
        fs = FeatureSample.of(m, source, si);
        ft = FeatureSample.of(m, target, ti);
      }
      DomainDistance.Result pad = DomainDistance.proxyA(fs, ft);
      return new ModelReport.Reference(plan.kind(), plan.description(), plan.bundleKey(),
          pad.pad(), pad.heldOutError(), pad.pictures());
    } catch (dev.daflow.storage.StorageUnavailableException e) {
      throw e; // the store is down: the whole report fails (logged), not this part alone
    } catch (IOException | RuntimeException e) {
      LOG.warnf("before-adaptation reference %s (%s) not measured, trying the next: %s",
          plan.kind(), plan.bundleKey(), e.toString());
      return null;
    }
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
