package dev.daflow.evaluator.service;

import dev.daflow.ml.eval.Selection;
import dev.daflow.ml.eval.Validator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses which bundle of a completed job becomes its model's next version. A policy sees only
 * {@link Candidate}s, which carry the source-domain test accuracy and the label-free validators,
 * and no target-domain figure: target labels are for reporting only, and a policy cannot read
 * them by construction.
 *
 * <p>Two decisions: within a job ({@link #choose}: which epoch's bundle), and across jobs, for a
 * policy that names a {@link #validator()}: the chosen bundle replaces the model's serving version
 * only if it beats that version's value on the same target domain (EvaluationService, {@code
 * model.promotion.declined} otherwise). Whatever the policy, a collapsed candidate ({@link
 * Candidate#collapsed()}) is never promoted, and never chosen over one that is not.
 */
public interface PromotionPolicy {

  /** {@code final}: the bundle the job produced. */
  String FINAL = "final";

  /** {@code best-source}: the epoch bundle with the highest source test accuracy. */
  String BEST_SOURCE = "best-source";

  /**
   * The policy promotions follow when none is configured: {@link Validator#DEFAULT_POLICY},
   * the held-out source accuracy (docs/evaluation.md says why).
   */
  String DEFAULT = Validator.DEFAULT_POLICY;

  /** The policy's name, as configured and as {@code model.promoted.policy} reports it. */
  String name();

  /**
   * @param finalBundle the job's own bundle, evaluated
   * @param epochs the job's evaluated epoch bundles (any order; may be empty)
   * @return the candidate to promote
   */
  Candidate choose(Candidate finalBundle, List<Candidate> epochs);

  /**
   * The validator a new version must beat the serving one by (across jobs); empty: a new version
   * is promoted whatever the serving one scored (the collapse guard aside).
   */
  default Optional<Validator> validator() {
    return Optional.empty();
  }

  /**
   * A bundle that may be promoted: what a policy may look at.
   *
   * @param artifact {@code bundle} or {@code checkpoint}
   * @param epoch the 0-based epoch the model ends
   * @param bundleKey object key of the bundle
   * @param sha256 hex SHA-256 of the bundle object
   * @param sourceAccuracy accuracy on the source domain's test split
   * @param evaluationKey object key of its {@link StoredEvaluation}
   * @param validators its label-free validators ({@code model.evaluated.validators}; empty for
   *     an evaluation made before them)
   */
  record Candidate(String artifact, int epoch, String bundleKey, String sha256,
      double sourceAccuracy, String evaluationKey, Map<String, Double> validators) {
    public Candidate {
      Objects.requireNonNull(bundleKey, "bundleKey");
      validators = validators == null ? Map.of() : Map.copyOf(validators);
    }

    /** A stored evaluation as a candidate (its target accuracy stays behind). */
    public static Candidate of(StoredEvaluation e) {
      return new Candidate(e.artifact(), e.epoch(), e.report().objectKey(), e.sha256(),
          e.sourceAccuracy(), e.key(), e.validators());
    }

    /** One validator's value, NaN when it was not measured. */
    public double value(String key) {
      return validators.getOrDefault(key, Double.NaN);
    }

    /** Whether the model collapsed on the target ({@code validators.collapsed} is 1). */
    public boolean collapsed() {
      return value(Validator.COLLAPSED) == 1.0;
    }
  }

  /**
   * The policy named {@code name}.
   *
   * @throws IllegalArgumentException naming the valid names
   */
  static PromotionPolicy named(String name) {
    String n = name == null ? "" : name.trim();
    if (n.equals(FINAL)) {
      return new FinalBundle();
    }
    if (n.equals(BEST_SOURCE)) {
      return new BestSource();
    }
    return Arrays.stream(Validator.values()).filter(v -> v.policyName().equals(n)).findFirst()
        .<PromotionPolicy>map(ByValidator::new)
        .orElseThrow(() -> new IllegalArgumentException("daflow.evaluator.promotion-policy must "
            + "be one of " + names() + ", got '" + name + "'"));
  }

  /** Every policy name, quoted. */
  static String names() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(FINAL, BEST_SOURCE),
        Arrays.stream(Validator.values()).map(Validator::policyName))
        .map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }

  /**
   * The best of the candidates by {@code score} (higher wins), collapsed ones only when every
   * candidate collapsed. Ties go to the final bundle, then to the later epoch (the longer
   * trained); a NaN score never wins.
   */
  private static Candidate best(Candidate finalBundle, List<Candidate> epochs,
      java.util.function.ToDoubleFunction<Candidate> score) {
    Objects.requireNonNull(finalBundle, "finalBundle");
    // Epochs in order, the final bundle last: Selection gives ties to the later candidate.
    List<Candidate> inOrder = new java.util.ArrayList<>(epochs);
    inOrder.sort(java.util.Comparator.comparingInt(Candidate::epoch));
    inOrder.add(finalBundle);
    return Selection.best(inOrder, Candidate::collapsed, score);
  }

  /** Promotes the bundle the job produced, whatever its epochs scored. */
  final class FinalBundle implements PromotionPolicy {
    @Override
    public String name() {
      return FINAL;
    }

    @Override
    public Candidate choose(Candidate finalBundle, List<Candidate> epochs) {
      return Objects.requireNonNull(finalBundle, "finalBundle");
    }
  }

  /**
   * Promotes the candidate with the highest source test accuracy among the epoch bundles and the
   * final bundle. Ties go to the final bundle, then to the later epoch (the longer trained);
   * a NaN accuracy never wins; a collapsed candidate only when all are.
   */
  final class BestSource implements PromotionPolicy {
    @Override
    public String name() {
      return BEST_SOURCE;
    }

    @Override
    public Candidate choose(Candidate finalBundle, List<Candidate> epochs) {
      return best(finalBundle, epochs, Candidate::sourceAccuracy);
    }
  }

  /**
   * Chooses by one label-free validator ({@link Validator}; named by its policy name, e.g. {@code
   * im}, {@code snd}, {@code class-ami}): within a job the candidate it rates best (ties as for
   * {@link BestSource}), and across jobs only a bundle that beats the serving version by it.
   */
  final class ByValidator implements PromotionPolicy {
    private final Validator validator;

    public ByValidator(Validator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    public String name() {
      return validator.policyName();
    }

    @Override
    public Optional<Validator> validator() {
      return Optional.of(validator);
    }

    @Override
    public Candidate choose(Candidate finalBundle, List<Candidate> epochs) {
      double sign = validator.higherIsBetter() ? 1 : -1;
      return best(finalBundle, epochs, c -> sign * c.value(validator.key()));
    }
  }
}
