package dev.daflow.evaluator.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model as the object store keeps it ({@code bundles/<modelName>.model.json}): the versions it
 * was given, in order, and the jobs that trained candidates for it. Immutable; the {@code with}
 * methods return changed copies.
 *
 * @param modelName the model
 * @param versions every promotion, version 1 first
 * @param jobs the jobs evaluated (or started) for this model, in the order they were first seen
 * @param declined the jobs whose promotion was declined, in order ({@code
 *     model.promotion.declined}); empty in records written before declines existed
 */
public record ModelRecord(String modelName, List<Version> versions, List<Job> jobs,
    List<Declined> declined) {

  public ModelRecord {
    Objects.requireNonNull(modelName, "modelName");
    versions = versions == null ? List.of() : List.copyOf(versions);
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
    declined = declined == null ? List.of() : List.copyOf(declined);
  }

  /** A record without declined promotions. */
  public ModelRecord(String modelName, List<Version> versions, List<Job> jobs) {
    this(modelName, versions, jobs, List.of());
  }

  /** A model nothing is known of yet. */
  public static ModelRecord empty(String modelName) {
    return new ModelRecord(modelName, List.of(), List.of(), List.of());
  }

  /**
   * A job's promotion that was declined: what {@code model.promotion.declined} announced.
   *
   * @param jobId the job
   * @param bundleKey the bundle the policy picked
   * @param sha256 its hex SHA-256
   * @param policy the policy
   * @param reason the reason code ({@code collapsed}, {@code not-better}, {@code unmeasured})
   * @param validator the validator compared or tested; null if none
   * @param candidateValue the bundle's value of it; null if none
   * @param currentVersion the serving version compared with; null if none
   * @param currentValue that version's value; null if none
   * @param detail the decision in words
   * @param declinedAt when, ISO-8601 UTC
   * @param artifact {@code bundle} or {@code checkpoint}
   * @param epoch the 0-based epoch the bundle ends
   * @param evaluationKey object key of its {@link StoredEvaluation}
   */
  public record Declined(String jobId, String bundleKey, String sha256, String policy,
      String reason, String validator, Double candidateValue, Integer currentVersion,
      Double currentValue, String detail, String declinedAt, String artifact, int epoch,
      String evaluationKey) {
    public Declined {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The declined promotion of a job, if it was declined. */
  public Optional<Declined> declinedOf(String jobId) {
    return declined.stream().filter(d -> d.jobId().equals(jobId)).findFirst();
  }

  /** The record with one more declined promotion. */
  public ModelRecord withDeclined(Declined d) {
    if (declinedOf(d.jobId()).isPresent() || versionOf(d.jobId()).isPresent()) {
      throw new IllegalStateException("job " + d.jobId() + " of " + modelName
          + " was decided on already");
    }
    List<Declined> out = new ArrayList<>(declined);
    out.add(d);
    return new ModelRecord(modelName, versions, jobs, out);
  }

  /**
   * One promotion.
   *
   * @param version 1 for the first, one more for each next
   * @param jobId the job that trained it
   * @param bundleKey object-store key of the promoted bundle
   * @param sha256 hex SHA-256 of the bundle object
   * @param policy the promotion policy that chose it
   * @param metrics the results that went with the decision (as in {@code model.promoted})
   * @param promotedAt when, ISO-8601 UTC
   * @param artifact {@code bundle} (the job's bundle) or {@code checkpoint} (an epoch's)
   * @param epoch the 0-based epoch the promoted model ends
   * @param evaluationKey object key of the promoted bundle's {@link StoredEvaluation}
   * @param promotedBy who promoted it by hand (the token's principal); null for a promotion by
   *     the policy, and in records of old
   * @param promotedFrom the earlier version whose bundle a promotion by hand serves again (a
   *     roll back, or forward); null otherwise
   */
  public record Version(int version, String jobId, String bundleKey, String sha256,
      String policy, Map<String, Double> metrics, String promotedAt, String artifact, int epoch,
      String evaluationKey, String promotedBy, Integer promotedFrom) {
    /** The policy of promotions by hand ({@link ManualPromotions}). */
    public static final String MANUAL = "manual";

    public Version {
      metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(
          new java.util.LinkedHashMap<>(metrics));
    }

    /** A promotion by the policy. */
    public Version(int version, String jobId, String bundleKey, String sha256, String policy,
        Map<String, Double> metrics, String promotedAt, String artifact, int epoch,
        String evaluationKey) {
      this(version, jobId, bundleKey, sha256, policy, metrics, promotedAt, artifact, epoch,
          evaluationKey, null, null);
    }

    /** This promotion as version {@code number}: the number is given when it is recorded. */
    public Version numbered(int number) {
      return new Version(number, jobId, bundleKey, sha256, policy, metrics, promotedAt, artifact,
          epoch, evaluationKey, promotedBy, promotedFrom);
    }
  }

  /**
   * A job that trains candidates for the model.
   *
   * @param jobId the job
   * @param method {@code source-only}, {@code dann}, {@code adda}; null if not known
   * @param source the source dataset's name
   * @param target the target dataset's name; null if not known (a source-only model card names
   *     none, {@code training.started} does)
   * @param seenAt when the evaluator first heard of it, ISO-8601 UTC
   * @param network the network it trains ({@code lenet}); null if not known (records of old)
   * @param requestedBy who asked for the job ({@code jwt:<name>}, {@code kafka:<user>}: the
   *     {@code principal} of its {@code training.started}, or its model card's {@code
   *     requestedBy}); null when not known (records and jobs of old: "unknown")
   */
  public record Job(String jobId, String method, String source, String target, String seenAt,
      String network, String requestedBy) {
    public Job {
      Objects.requireNonNull(jobId, "jobId");
    }

    /** An entry whose network and requester are not known. */
    public Job(String jobId, String method, String source, String target, String seenAt) {
      this(jobId, method, source, target, seenAt, null, null);
    }

    /** This entry with the fields it lacks taken from {@code other} (its own ones win). */
    Job completedBy(Job other) {
      return new Job(jobId, method != null ? method : other.method,
          source != null ? source : other.source, target != null ? target : other.target,
          seenAt != null ? seenAt : other.seenAt, network != null ? network : other.network,
          requestedBy != null ? requestedBy : other.requestedBy);
    }
  }

  /** The serving version: the highest. */
  public Optional<Version> current() {
    return versions.stream().max(Comparator.comparingInt(Version::version));
  }

  /** The version a job was promoted as, if it was. */
  public Optional<Version> versionOf(String jobId) {
    return versions.stream().filter(v -> v.jobId().equals(jobId)).findFirst();
  }

  /** A version by number. */
  public Optional<Version> version(int version) {
    return versions.stream().filter(v -> v.version() == version).findFirst();
  }

  /** The number the next promotion gets. */
  public int nextVersion() {
    return current().map(v -> v.version() + 1).orElse(1);
  }

  /** A job by id. */
  public Optional<Job> job(String jobId) {
    return jobs.stream().filter(j -> j.jobId().equals(jobId)).findFirst();
  }

  /**
   * The record with {@code job} added, or an existing entry of that job completed with the fields
   * it lacked (known fields are kept: the first account of a job wins).
   */
  public ModelRecord withJob(Job job) {
    List<Job> out = new ArrayList<>(jobs);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).jobId().equals(job.jobId())) {
        out.set(i, out.get(i).completedBy(job));
        return new ModelRecord(modelName, versions, out, declined);
      }
    }
    out.add(job);
    return new ModelRecord(modelName, versions, out, declined);
  }

  /** The record with one more version. */
  public ModelRecord withVersion(Version version) {
    if (version(version.version()).isPresent()) {
      throw new IllegalStateException(modelName + " already has version " + version.version());
    }
    List<Version> out = new ArrayList<>(versions);
    out.add(version);
    return new ModelRecord(modelName, out, jobs, declined);
  }
}
