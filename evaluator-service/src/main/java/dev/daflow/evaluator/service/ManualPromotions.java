package dev.daflow.evaluator.service;

import dev.daflow.evaluator.service.ModelRecord.Version;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.ModelPromoted;
import dev.daflow.service.common.ServiceException;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectNotFoundException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Promotion by hand ({@code POST /models/{name}/versions/{v}/promote}, role {@code admin}): makes
 * the bundle of an existing version of a model, evaluated when it was first promoted, the served
 * one again, to roll back (or forward again). Versions only grow, as inference-service serves the
 * highest it is told of, so the bundle is recorded as the model's next version ({@code policy}
 * {@value Version#MANUAL}, with who promoted it and the version it comes from) and announced with
 * the usual {@code model.promoted}; inference follows as for any promotion. When that bundle is
 * already the served one nothing is recorded and its promotion is announced again (idempotent:
 * a retried request adds no version). The announcement names who asked in its {@code
 * principal} extension attribute ({@code ce_principal}).
 *
 * <p>The version number is allocated in a conditional update of the model's record, as {@link
 * EvaluationService} allocates its own, so a promotion by hand and one by the policy, on any
 * replica, never get one number; safe to call from any thread.
 */
public final class ManualPromotions {
  private static final Logger LOG = Logger.getLogger(ManualPromotions.class);

  /** Where announcements go (the Kafka publisher in the service, a list in tests). */
  @FunctionalInterface
  public interface Announcements {
    /** Publishes {@code event} under {@code id} for {@code principal}; returns once stored. */
    void publish(DaflowEvent event, String id, String principal);
  }

  private final EvaluationStore store;
  private final Announcements events;
  private final EvaluatorMetrics metrics;
  private final Clock clock;

  public ManualPromotions(EvaluationStore store, Announcements events, EvaluatorMetrics metrics,
      Clock clock) {
    this.store = store;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * What a promotion by hand did.
   *
   * @param served the version served now
   * @param added whether it is a new version (false: {@code version} was served already)
   */
  public record Outcome(Version served, boolean added) {}

  /**
   * Serves the bundle of {@code version} of {@code modelName} again.
   *
   * @param principal who asks (recorded as {@code promotedBy})
   * @throws IllegalArgumentException for a malformed model name or a version below 1 (400)
   * @throws ModelNotFoundException for an unknown model (404)
   * @throws ServiceException 404 for an unknown version, 409 when its bundle is gone or changed
   */
  public Outcome promote(String modelName, int version, String principal) {
    ObjectKeys.name("model name", modelName);
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more, not " + version);
    }
    Objects.requireNonNull(principal, "principal");
    ModelRecord known = store.model(modelName)
        .orElseThrow(() -> new ModelNotFoundException(modelName));
    Version chosen = known.version(version).orElseThrow(() -> noVersion(modelName, version,
        known));
    checkBundle(modelName, chosen);
    AtomicReference<Version> served = new AtomicReference<>();
    AtomicBoolean added = new AtomicBoolean();
    String now = clock.instant().toString();
    store.updateModel(modelName, r -> {
      Version current = r.current().orElseThrow(() -> noVersion(modelName, version, r));
      if (current.bundleKey().equals(chosen.bundleKey())
          && current.sha256().equals(chosen.sha256())) {
        served.set(current);
        added.set(false);
        return r;
      }
      Version next = new Version(r.nextVersion(), chosen.jobId(), chosen.bundleKey(),
          chosen.sha256(), Version.MANUAL, chosen.metrics(), now, chosen.artifact(),
          chosen.epoch(), chosen.evaluationKey(), principal, chosen.version());
      served.set(next);
      added.set(true);
      return r.withVersion(next);
    });
    Version v = served.get();
    if (added.get()) {
      LOG.infof("%s promoted version %d of %s by hand: its bundle %s is version %d", principal,
          version, modelName, v.bundleKey(), v.version());
    } else {
      LOG.infof("%s promoted version %d of %s by hand: served already as version %d, "
          + "announced again", principal, version, modelName, v.version());
    }
    events.publish(new ModelPromoted(modelName, v.jobId(), v.bundleKey(), v.sha256(),
        v.version(), v.policy(), v.metrics()),
        EventIds.of(EventType.MODEL_PROMOTED, modelName, v.version()), principal);
    metrics.promoted(modelName, v.version());
    return new Outcome(v, added.get());
  }

  /** The bundle must still be there, with the bytes that were evaluated. */
  private void checkBundle(String modelName, Version chosen) {
    String sha;
    try {
      sha = store.sha256Of(chosen.bundleKey());
    } catch (ObjectNotFoundException e) {
      throw new ServiceException(ServiceException.Kind.CONFLICT, "bundle missing",
          "version " + chosen.version() + " of " + modelName + ": its bundle "
              + chosen.bundleKey() + " is no longer in the store");
    }
    if (!chosen.sha256().equals(sha)) {
      throw new ServiceException(ServiceException.Kind.CONFLICT, "bundle changed",
          "version " + chosen.version() + " of " + modelName + ": its bundle "
              + chosen.bundleKey() + " has SHA-256 " + sha + ", not the evaluated "
              + chosen.sha256());
    }
  }

  private static ServiceException noVersion(String modelName, int version, ModelRecord r) {
    return new ServiceException(ServiceException.Kind.NOT_FOUND, "version not found",
        modelName + " has no version " + version + " (it has "
            + r.versions().stream().map(v -> String.valueOf(v.version())).toList()
            + "; GET /models/" + modelName + " lists them)");
  }
}
