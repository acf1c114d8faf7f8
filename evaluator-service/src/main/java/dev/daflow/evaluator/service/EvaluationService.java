package dev.daflow.evaluator.service;

import dev.daflow.evaluator.service.ModelRecord.Declined;
import dev.daflow.evaluator.service.ModelRecord.Job;
import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.evaluator.service.PromotionPolicy.Candidate;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.ModelPromotionDeclined;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingStarted;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.eval.EvaluationReport;
import dev.daflow.ml.eval.Evaluator;
import dev.daflow.ml.eval.HeldOutComparison;
import dev.daflow.ml.eval.LabelFreeValidation;
import dev.daflow.ml.eval.Validator;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.model.ModelCard;
import dev.daflow.ml.train.TargetPictures;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.StorageUnavailableException;
import java.time.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The evaluator's domain logic, free of Kafka: evaluates each epoch's bundle ({@code
 * epoch-bundle.saved}) on the test splits of the datasets the event names, reports each job's
 * bundle ({@code training.completed}), stores and reports the results ({@code model.evaluated}),
 * and promotes one bundle of every completed job as its model's next version ({@code
 * model.promoted}) by the configured {@link PromotionPolicy}, which never sees target accuracy,
 * or declines to ({@code model.promotion.declined}: a collapsed model, or one that does not beat
 * the serving version by the policy's validator).
 *
 * <p>Besides the test accuracies, each evaluation measures the model by the label-free validators
 * ({@link LabelFreeValidation}) on unlabelled target training pictures and on the source pictures
 * its job held out ({@link ValidationPictures}); they go into {@code model.evaluated.validators}.
 * A validator that cannot be computed is left out, and the evaluation is reported without it.
 *
 * <p>Each weights are evaluated once: a job's bundle holds the weights of its last epoch's bundle
 * ({@code training.completed.lastEpochBundleKey}), so that epoch's evaluation, found stored for
 * those very bytes, is reported for the job's bundle too; only without it (an event from before
 * the field, an epoch whose evaluation failed) is the job's bundle evaluated itself.
 *
 * <p>Every step is an upsert keyed by the facts, so a redelivered event changes nothing: an
 * evaluation already stored for the same bundle and SHA-256 is published again under the same
 * event id instead of being recomputed, and a job already promoted gets its version's event
 * again, not a new version. Failures are contained: a bundle that fails its checksum or does not
 * load is logged and counted ({@code daflow_evaluations_total{outcome="failed"}}), and the next
 * event is handled as usual. Object-store outages and unacknowledged publications are waited out
 * with the service's back-off ({@link Retries#waitingOut}), without limit: an outage delays an
 * evaluation, it never skips one (until the service stops; the event is then redelivered).
 *
 * <p>Not thread-safe by design: call it from one thread (the listener's worker). Model records
 * change only by conditional updates, so replicas never lose each other's writes.
 */
public final class EvaluationService {
  private static final Logger LOG = Logger.getLogger(EvaluationService.class);

  /** Where events go (the Kafka publisher in the service, a list in unit tests). */
  @FunctionalInterface
  public interface Events {
    /** Publishes {@code event} under {@code id}; returns once the event is stored. */
    void publish(DaflowEvent event, String id);
  }

  /**
   * How transient failures (an unreachable store, an unacknowledged publication) are retried.
   *
   * @param attempts tries in all (1: no retry; {@link Backoff#UNLIMITED}: until it works or the
   *     evaluator stops)
   * @param backoff the pauses between them (service-common's one back-off policy)
   */
  public record Retries(int attempts, Backoff backoff) {
    /**
     * Until the store or Kafka answers, with {@link Backoff#DEFAULT}'s pauses: an outage is
     * waited out, never turned into a skipped evaluation.
     */
    public static final Retries DEFAULT = waitingOut(Backoff.DEFAULT);

    /**
     * Until the store or Kafka answers (or the evaluator stops: its worker is interrupted), with
     * {@code backoff}'s pauses, the service's {@code daflow.retry.*}.
     */
    public static Retries waitingOut(Backoff backoff) {
      return new Retries(Backoff.UNLIMITED, backoff);
    }
  }

  /** Seeds ClassAMI's k-means: the same for every model, so their values compare. */
  static final long VALIDATOR_SEED = LabelFreeValidation.SEED;

  private final EvaluationStore store;
  private final TestSplits splits;
  private final ValidationPictures validation;
  private final PromotionPolicy policy;
  private final Events events;
  private final EvaluatorMetrics metrics;
  private final Clock clock;
  private final Retries retries;

  /** A service that computes no label-free validators. */
  public EvaluationService(EvaluationStore store, TestSplits splits, PromotionPolicy policy,
      Events events, EvaluatorMetrics metrics, Clock clock, Retries retries) {
    this(store, splits, null, policy, events, metrics, clock, retries);
  }

  /**
   * @param validation the pictures validators run on; null: no validators are computed
   */
  public EvaluationService(EvaluationStore store, TestSplits splits,
      ValidationPictures validation, PromotionPolicy policy, Events events,
      EvaluatorMetrics metrics, Clock clock, Retries retries) {
    this.store = store;
    this.splits = splits;
    this.validation = validation;
    this.policy = policy;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.retries = retries;
  }

  /** The policy promotions follow. */
  public PromotionPolicy policy() {
    return policy;
  }

  /**
   * Notes a started job in its model's record: its datasets, which a source-only model's card
   * does not name for the target domain.
   *
   * @return whether the record is up to date
   */
  public boolean onTrainingStarted(TrainingStarted e) {
    return onTrainingStarted(e, null);
  }

  /**
   * As {@link #onTrainingStarted(TrainingStarted)}, noting who asked for the job: the event's
   * {@code principal} attribute (null when it names none).
   */
  public boolean onTrainingStarted(TrainingStarted e, String principal) {
    try {
      withRetries("recording job " + e.jobId(), () -> {
        register(e.modelName(), new Job(e.jobId(), e.method(), e.source(), e.target(), now(),
            e.network(), principal));
        return null;
      });
      return true;
    } catch (Exception ex) {
      LOG.errorf("could not record the start of job %s (model %s): %s", e.jobId(),
          e.modelName(), describe(ex));
      return false;
    }
  }

  /**
   * Evaluates the bundle of an epoch. The event's {@code bundleKey} names the epoch's bundle
   * ({@code checkpoints/<jobId>/epoch-0003.bundle}); a {@code checkpoint.saved} of old may name
   * the checkpoint ({@code .ckpt}) instead: then the bundle beside it is evaluated, verified
   * against its own recorded SHA-256.
   *
   * @return whether it was evaluated (or found evaluated) and reported
   */
  public boolean onEpochBundleSaved(EpochBundleSaved e) {
    boolean isCheckpointKey = ObjectKeys.checkpointEpoch(e.bundleKey()).isPresent();
    String what = "epoch bundle of job " + e.jobId() + " epoch " + e.epoch();
    try {
      String key = isCheckpointKey ? ObjectKeys.checkpointBundle(e.jobId(), e.epoch())
          : e.bundleKey();
      String sha = isCheckpointKey ? null : e.sha256();
      withRetries(what, () -> evaluate(e.modelName(), e.jobId(), StoredEvaluation.CHECKPOINT,
          key, sha, e.epoch(), new Datasets(e.source(), e.target()),
          ObjectKeys.evaluation(e.jobId(), e.epoch()),
          EventIds.of(EventType.MODEL_EVALUATED, e.jobId(), e.epoch())));
      return true;
    } catch (Exception ex) {
      metrics.failed();
      LOG.errorf("evaluation of the %s (%s) failed, skipped: %s", what, e.bundleKey(),
          describe(ex));
      return false;
    }
  }

  /**
   * Reports a completed job's bundle (its last epoch's evaluation when that epoch has the same
   * weights, else its own), then promotes the bundle the policy picks among it and the job's
   * evaluated epochs, or declines to.
   *
   * @return whether the bundle was evaluated and its promotion decided (or re-announced)
   */
  public boolean onTrainingCompleted(TrainingCompleted e) {
    String what = "bundle of job " + e.jobId();
    try {
      withRetries(what, () -> {
        StoredEvaluation fin = evaluateJobBundle(e);
        promote(e.modelName(), e.jobId(), fin);
        return null;
      });
      return true;
    } catch (Exception ex) {
      metrics.failed();
      LOG.errorf("evaluation or promotion of the %s (%s) failed, skipped: %s", what,
          e.bundleKey(), describe(ex));
      return false;
    }
  }

  /**
   * The evaluation of a job's bundle: stored before (a redelivery), else that of its last epoch's
   * bundle when the event names it and it was evaluated for those bytes (the same weights:
   * reported for the job's bundle without evaluating again), else its own.
   */
  private StoredEvaluation evaluateJobBundle(TrainingCompleted e) throws Exception {
    int lastEpoch = Math.max(0, e.epochs() - 1);
    String key = ObjectKeys.finalEvaluation(e.jobId());
    String eventId = EventIds.of(EventType.MODEL_EVALUATED, e.jobId(), StoredEvaluation.BUNDLE);
    Optional<StoredEvaluation> sameWeights = e.lastEpochBundleKey() == null
        ? Optional.empty()
        : storedFor(ObjectKeys.evaluation(e.jobId(), lastEpoch), e.lastEpochBundleKey(),
            e.lastEpochSha256());
    if (sameWeights.isEmpty() || storedFor(key, e.bundleKey(), e.sha256()).isPresent()) {
      return evaluate(e.modelName(), e.jobId(), StoredEvaluation.BUNDLE, e.bundleKey(),
          e.sha256(), lastEpoch, new Datasets(e.source(), e.target()), key, eventId);
    }
    // The job's bundle is reported with its last epoch's results: the same weights.
    ModelEvaluated epoch = sameWeights.get().report();
    ModelEvaluated report = new ModelEvaluated(e.modelName(), e.jobId(),
        StoredEvaluation.BUNDLE, e.bundleKey(), lastEpoch, epoch.classNames(), epoch.source(),
        epoch.target(), epoch.validators());
    StoredEvaluation evaluation = new StoredEvaluation(key, report, e.sha256(), now(), 0.0);
    store.save(evaluation); // the record first: the event announces a stored fact
    events.publish(report, eventId);
    metrics.reported(evaluation);
    LOG.infof("bundle %s of job %s has the weights of %s: reported with its evaluation (source "
        + "%.4f, target %.4f), not evaluated again", e.bundleKey(), e.jobId(),
        e.lastEpochBundleKey(), report.source().accuracy(), report.target().accuracy());
    return evaluation;
  }

  /** The evaluation stored at {@code evaluationKey}, if it is of these bytes. */
  private Optional<StoredEvaluation> storedFor(String evaluationKey, String bundleKey,
      String sha) {
    return store.evaluation(evaluationKey).filter(s -> s.report().objectKey().equals(bundleKey)
        && s.sha256().equals(sha));
  }

  /**
   * Evaluates one bundle (or finds it evaluated), stores the result at {@code evaluationKey} and
   * publishes it under {@code eventId}.
   *
   * @param expectedSha the SHA-256 the event gave, or null to take the object's own
   * @param named the datasets the event named (either may be null: events of old)
   */
  StoredEvaluation evaluate(String modelName, String jobId, String artifact, String bundleKey,
      String expectedSha, int epoch, Datasets named, String evaluationKey, String eventId)
      throws Exception {
    String sha = expectedSha != null ? expectedSha : store.sha256Of(bundleKey);
    Optional<StoredEvaluation> stored = storedFor(evaluationKey, bundleKey, sha);
    if (stored.isPresent()) {
      LOG.infof("%s %s of job %s (epoch %d) was evaluated before: publishing that evaluation "
          + "again", artifact, bundleKey, jobId, epoch);
      events.publish(stored.get().report(), eventId);
      return stored.get();
    }

    long started = System.nanoTime();
    byte[] bytes = store.bundle(bundleKey, sha); // IntegrityException if not the event's bytes
    Model model = ModelBundle.read(bytes, bundleKey); // BundleFormatException if unloadable
    Datasets datasets = datasets(modelName, jobId, named, model);
    // The source split as the network sees the source domain (Model.sourceView): a network with
    // domain-specific batch normalisation serves the target's statistics.
    ModelEvaluated.Evaluation source = evaluate(model.sourceView(), splits.test(datasets.source()));
    ModelEvaluated.Evaluation target = evaluate(model, splits.test(datasets.target()));
    Map<String, Double> validators = validators(model, datasets, artifact + " " + bundleKey);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    ModelEvaluated report = new ModelEvaluated(modelName, jobId, artifact, bundleKey, epoch,
        model.classNames(), source, target, validators);
    StoredEvaluation evaluation = new StoredEvaluation(evaluationKey, report, sha, now(),
        took.toMillis() / 1000.0);
    store.save(evaluation); // the record first: the event announces a stored fact
    // Logged once computed and stored: a publication that fails is tried again from the stored
    // record ("was evaluated before"), never computed again.
    LOG.infof("evaluated %s %s of job %s (model %s, epoch %d) in %.1f s: source %s %.4f, "
        + "target %s %.4f, validators %s", artifact, bundleKey, jobId, modelName, epoch,
        took.toMillis() / 1000.0, source.dataset(), source.accuracy(), target.dataset(),
        target.accuracy(), validators);
    metrics.evaluated(evaluation, took);
    events.publish(report, eventId);
    return evaluation;
  }

  /**
   * The label-free validators of a model ({@link LabelFreeValidation}) on the first pictures of
   * the target's training split, without their labels, and on the source pictures its job held
   * out; null when they are switched off or cannot be computed (logged: the evaluation is
   * reported without them). An unreachable store is thrown, to be retried.
   */
  private Map<String, Double> validators(Model model, Datasets datasets, String what) {
    if (validation == null || !validation.enabled()) {
      return null;
    }
    try {
      TargetPictures target = validation.target(datasets.target());
      ImageDataset heldOut = null;
      try {
        heldOut = validation.sourceHeldOut(datasets.source(), model.card()).orElse(null);
      } catch (IllegalStateException e) {
        LOG.warnf("%s: no source validation accuracy: %s", what, e.getMessage());
      }
      return LabelFreeValidation.measure(model, target, heldOut, VALIDATOR_SEED);
    } catch (StorageUnavailableException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warnf("%s: label-free validators not computed: %s", what, describe(e));
      return null;
    }
  }

  /**
   * Promotes a bundle of a completed job, or declines to, or announces again the decision it
   * already had. The version number is allocated inside a conditional update of the model's
   * record ({@link EvaluationStore#updateModel}), and a declined promotion is recorded there too:
   * when another replica decides meanwhile, the update starts over on its record, so two
   * replicas never give out one number and a job already decided on (by either) is not decided
   * on again.
   *
   * <p>Declined: a collapsed model (every policy), or, for a policy with a {@link
   * PromotionPolicy#validator()}, a bundle that does not beat the serving version by it on the
   * same target domain ({@link #judge}).
   */
  void promote(String modelName, String jobId, StoredEvaluation fin) {
    AtomicReference<Plan> planned = new AtomicReference<>(); // the policy's pick, unnumbered
    AtomicReference<Version> version = new AtomicReference<>();
    AtomicReference<Declined> declined = new AtomicReference<>();
    AtomicBoolean added = new AtomicBoolean();
    ModelRecord record = store.updateModel(modelName, r -> {
      version.set(r.versionOf(jobId).orElse(null));
      declined.set(version.get() != null ? null : r.declinedOf(jobId).orElse(null));
      added.set(version.get() == null && declined.get() == null);
      if (!added.get()) {
        return r; // decided before: nothing to write
      }
      if (planned.get() == null) {
        planned.set(plan(jobId, fin));
      }
      Optional<Declined> no = judge(planned.get(), r);
      if (no.isPresent()) {
        declined.set(no.get());
        return r.withDeclined(no.get()); // the record first: a redelivery then finds it
      }
      version.set(planned.get().version().numbered(r.nextVersion()));
      return r.withVersion(version.get());
    });
    int serving = record.current().map(Version::version).orElse(0);
    Declined d = declined.get();
    if (d != null) {
      LOG.infof("%s promotion of %s %s of job %s as a version of %s (policy %s): %s: %s",
          added.get() ? "declined the" : "publishing again the declined", d.artifact(),
          d.bundleKey(), jobId, modelName, d.policy(), d.reason(), d.detail());
      events.publish(new ModelPromotionDeclined(modelName, jobId, d.bundleKey(), d.sha256(),
          d.policy(), d.reason(), d.validator(), d.candidateValue(), d.currentVersion(),
          d.currentValue(), d.detail()),
          EventIds.of(EventType.MODEL_PROMOTION_DECLINED, modelName, jobId));
      if (added.get()) {
        metrics.declined(modelName, d.reason());
      }
      if (serving > 0) {
        metrics.promoted(modelName, serving);
      }
      return;
    }
    Version v = version.get();
    if (added.get()) {
      LOG.infof("promoted %s %s of job %s as version %d of %s (policy %s, source accuracy %.4f)",
          v.artifact(), v.bundleKey(), jobId, v.version(), modelName, v.policy(),
          v.metrics().get("source_test_accuracy"));
    } else {
      LOG.infof("job %s is already version %d of %s: publishing that promotion again", jobId,
          v.version(), modelName);
    }
    events.publish(new ModelPromoted(modelName, jobId, v.bundleKey(), v.sha256(),
        v.version(), v.policy(), v.metrics()),
        EventIds.of(EventType.MODEL_PROMOTED, modelName, v.version()));
    metrics.promoted(modelName, serving);
  }

  /**
   * The policy's pick for a job, as an unnumbered version, with the evaluation behind it.
   *
   * @param chosen what the policy chose
   * @param behind its evaluation (for the target domain it was measured on)
   */
  private record Plan(Version version, Candidate chosen, StoredEvaluation behind) {}

  /**
   * Why {@code plan} must not become the model's next version, if it must not: it collapsed
   * ({@code collapsed}); or the policy compares by a validator, the model has a serving version
   * measured on the same target domain, and the pick has no value of the validator ({@code
   * unmeasured}) or does not beat the serving version's ({@code not-better}; a tie does not
   * beat it; by held-out source accuracy, a difference within its sampling error is a tie that
   * the lower DEV decides, {@link HeldOutComparison}). A serving version without a value
   * (evaluated before validators existed), or measured on another target, or, for a validator
   * measured on the source pictures ({@link Validator#measuredOnSource()}), trained from another
   * source, is not compared with.
   */
  private Optional<Declined> judge(Plan plan, ModelRecord record) {
    Candidate c = plan.chosen();
    if (c.collapsed()) {
      double share = c.value(Validator.LARGEST_CLASS_SHARE);
      return Optional.of(declined(plan, ModelPromotionDeclined.COLLAPSED,
          Validator.LARGEST_CLASS_SHARE, share, null, null, String.format(java.util.Locale.ROOT,
              "the model predicts one class for %.1f%% of the target pictures (collapsed "
              + "above %.1f%%)", 100 * share, 100 * dev.daflow.ml.eval.Collapse.threshold(
                  plan.behind().report().classNames().size()))));
    }
    Optional<Validator> by = policy.validator();
    Optional<Version> current = record.current();
    if (by.isEmpty() || current.isEmpty()) {
      return Optional.empty();
    }
    Validator v = by.get();
    Version cur = current.get();
    Optional<StoredEvaluation> curEval = cur.evaluationKey() == null ? Optional.empty()
        : store.evaluation(cur.evaluationKey());
    String target = plan.behind().report().target().dataset();
    if (curEval.isEmpty() || !curEval.get().report().target().dataset().equals(target)) {
      LOG.infof("job %s: version %d of %s was not evaluated on %s: not compared with", plan
          .version().jobId(), cur.version(), record.modelName(), target);
      return Optional.empty();
    }
    String source = plan.behind().report().source().dataset();
    if (v.measuredOnSource() && !curEval.get().report().source().dataset().equals(source)) {
      LOG.infof("job %s: version %d of %s was trained from another source than %s: its %s is "
          + "not compared with", plan.version().jobId(), cur.version(), record.modelName(),
          source, v.key());
      return Optional.empty();
    }
    double mine = c.value(v.key());
    double theirs = curEval.get().validators().getOrDefault(v.key(), Double.NaN);
    if (Double.isNaN(mine)) {
      return Optional.of(declined(plan, ModelPromotionDeclined.UNMEASURED, v.key(), null,
          cur.version(), Double.isNaN(theirs) ? null : theirs, "the bundle has no " + v.key()
              + " value to compare with version " + cur.version() + "'s"));
    }
    if (Double.isNaN(theirs)) {
      LOG.infof("job %s: version %d of %s has no %s value: not compared with", plan.version()
          .jobId(), cur.version(), record.modelName(), v.key());
      return Optional.empty();
    }
    if (v == Validator.SOURCE_VAL_ACCURACY) {
      // Held-out accuracy with its sampling error: within it, DEV decides (HeldOutComparison).
      HeldOutComparison.Verdict verdict = HeldOutComparison.compare(c.validators(),
          curEval.get().validators());
      if (!verdict.challengerWins()) {
        return Optional.of(declined(plan, ModelPromotionDeclined.NOT_BETTER, v.key(), mine,
            cur.version(), theirs, String.format(java.util.Locale.ROOT, "%s epoch %d does not "
                + "beat version %d on %s: %s", c.artifact(), c.epoch(), cur.version(), target,
                verdict.reason())));
      }
      LOG.infof("job %s: %s epoch %d beats version %d of %s: %s", plan.version().jobId(),
          c.artifact(), c.epoch(), cur.version(), record.modelName(), verdict.reason());
      return Optional.empty();
    }
    if (!v.better(mine, theirs)) {
      return Optional.of(declined(plan, ModelPromotionDeclined.NOT_BETTER, v.key(), mine,
          cur.version(), theirs, String.format(java.util.Locale.ROOT, "%s %.4f of %s epoch %d "
              + "does not beat version %d's %.4f on %s (%s is better)", v.key(), mine,
              c.artifact(), c.epoch(), cur.version(), theirs, target,
              v.higherIsBetter() ? "higher" : "lower")));
    }
    return Optional.empty();
  }

  private Declined declined(Plan plan, String reason, String validator, Double candidateValue,
      Integer currentVersion, Double currentValue, String detail) {
    Version p = plan.version();
    return new Declined(p.jobId(), p.bundleKey(), p.sha256(), p.policy(), reason, validator,
        candidateValue, currentVersion, currentValue, detail, now(), p.artifact(), p.epoch(),
        p.evaluationKey());
  }

  /**
   * The promotion the policy picks for a job among its final bundle and its evaluated epochs,
   * with both accuracies, the epoch and the label-free validators as its results; numbered when
   * recorded.
   */
  private Plan plan(String jobId, StoredEvaluation fin) {
    List<StoredEvaluation> evaluations = store.evaluationsOf(jobId);
    List<Candidate> epochs = evaluations.stream()
        .filter(ev -> StoredEvaluation.CHECKPOINT.equals(ev.artifact()))
        .map(Candidate::of).toList();
    Candidate chosen = policy.choose(Candidate.of(fin), epochs);
    StoredEvaluation behind = chosen.evaluationKey().equals(fin.key()) ? fin
        : evaluations.stream().filter(ev -> ev.key().equals(chosen.evaluationKey()))
            .findFirst().orElseThrow();
    // Both accuracies are reported with the decision; the policy saw only the source one.
    Map<String, Double> results = new LinkedHashMap<>();
    results.put("source_test_accuracy", behind.sourceAccuracy());
    results.put("target_test_accuracy", behind.targetAccuracy());
    results.put("epoch", (double) behind.epoch());
    results.putAll(behind.validators());
    return new Plan(new Version(0, jobId, chosen.bundleKey(), chosen.sha256(), policy.name(),
        results, now(), chosen.artifact(), chosen.epoch(), chosen.evaluationKey()), chosen,
        behind);
  }

  /**
   * The source and target datasets whose test splits a job's models are evaluated on ({@code
   * null}: not named).
   */
  record Datasets(String source, String target) {}

  /**
   * The datasets a job's bundles are tested on: those its event names; for an event of old that
   * names none, those of the job's {@code training.started} (kept in the model record). Records
   * the job in its model's record.
   */
  private Datasets datasets(String modelName, String jobId, Datasets named, Model model) {
    Optional<Job> known = named.source() != null && named.target() != null ? Optional.empty()
        : store.model(modelName).flatMap(r -> r.job(jobId));
    String source = named.source() != null ? named.source()
        : known.map(Job::source).orElse(null);
    String target = named.target() != null ? named.target()
        : known.map(Job::target).orElse(null);
    if (source == null || target == null) {
      throw new IllegalStateException("job " + jobId + ": no " + (source == null ? "source"
          : "target") + " dataset known: the event names none and no training.started of the"
          + " job was seen");
    }
    ModelCard card = model.card();
    register(modelName, new Job(jobId, card == null ? null : card.method(), source, target,
        now(), card == null || card.config() == null ? null : card.config().network(),
        card == null ? null : card.requestedBy()));
    return new Datasets(source, target);
  }

  /** Notes a job in its model's record (a conditional update; nothing written if known). */
  private void register(String modelName, Job job) {
    store.updateModel(modelName, r -> r.withJob(job));
  }

  private static ModelEvaluated.Evaluation evaluate(Model model, ImageDataset test) {
    if (!test.classNames().equals(model.classNames())) {
      throw new IllegalArgumentException(test.name() + " has classes " + test.classNames()
          + ", the model predicts " + model.classNames());
    }
    EvaluationReport r = Evaluator.evaluate(model, test);
    Map<String, Double> perClass = new LinkedHashMap<>();
    for (int c = 0; c < r.classNames().size(); c++) {
      perClass.put(r.classNames().get(c), r.perClassAccuracy()[c]);
    }
    return new ModelEvaluated.Evaluation(r.dataset(), r.count(), r.accuracy(), perClass,
        ModelEvaluated.Evaluation.matrix(r.confusion()));
  }

  /** Calls {@code work}, retrying an unreachable store or an unacknowledged publication. */
  private <T> T withRetries(String what, Callable<T> work) throws Exception {
    return retries.backoff().retry(retries.attempts(),
        Backoff.anyOf(StorageUnavailableException.class, EventPublisher.PublishException.class),
        // The worker is interrupted when the service stops: the event is redelivered later.
        () -> Thread.currentThread().isInterrupted(),
        (attempt, e, pause) -> LOG.warnf("%s: %s (try %d%s); trying again in %d ms", what,
            e.getMessage(), attempt, retries.attempts() == Backoff.UNLIMITED ? ""
                : " of " + retries.attempts(), pause.toMillis()),
        work);
  }

  private String now() {
    return clock.instant().toString();
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
