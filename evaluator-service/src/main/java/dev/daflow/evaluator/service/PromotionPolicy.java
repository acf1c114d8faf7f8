package dev.daflow.evaluator.service;

import java.util.List;
import java.util.Objects;

/**
 * Chooses which bundle of a completed job becomes its model's next version. A policy sees only
 * {@link Candidate}s, which carry the source-domain test accuracy and no target-domain figure:
 * target labels are for reporting only, and a policy cannot read them by construction.
 */
public interface PromotionPolicy {

  /** {@code final}: the bundle the job produced. */
  String FINAL = "final";

  /** {@code best-source}: the epoch bundle with the highest source test accuracy. */
  String BEST_SOURCE = "best-source";

  /** The policy's name, as configured and as {@code model.promoted.policy} reports it. */
  String name();

  /**
   * @param finalBundle the job's own bundle, evaluated
   * @param epochs the job's evaluated epoch bundles (any order; may be empty)
   * @return the candidate to promote
   */
  Candidate choose(Candidate finalBundle, List<Candidate> epochs);

  /**
   * A bundle that may be promoted: what a policy may look at.
   *
   * @param artifact {@code bundle} or {@code checkpoint}
   * @param epoch the 0-based epoch the model ends
   * @param bundleKey object key of the bundle
   * @param sha256 hex SHA-256 of the bundle object
   * @param sourceAccuracy accuracy on the source domain's test split
   * @param evaluationKey object key of its {@link StoredEvaluation}
   */
  record Candidate(String artifact, int epoch, String bundleKey, String sha256,
      double sourceAccuracy, String evaluationKey) {
    public Candidate {
      Objects.requireNonNull(bundleKey, "bundleKey");
    }

    /** A stored evaluation as a candidate (its target accuracy stays behind). */
    public static Candidate of(StoredEvaluation e) {
      return new Candidate(e.artifact(), e.epoch(), e.report().objectKey(), e.sha256(),
          e.sourceAccuracy(), e.key());
    }
  }

  /**
   * The policy named {@code name}.
   *
   * @throws IllegalArgumentException naming the valid names
   */
  static PromotionPolicy named(String name) {
    String n = name == null ? "" : name.trim();
    return switch (n) {
      case FINAL -> new FinalBundle();
      case BEST_SOURCE -> new BestSource();
      default -> throw new IllegalArgumentException("daflow.evaluator.promotion-policy must be '"
          + FINAL + "' or '" + BEST_SOURCE + "', got '" + name + "'");
    };
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
   * a NaN accuracy never wins.
   */
  final class BestSource implements PromotionPolicy {
    @Override
    public String name() {
      return BEST_SOURCE;
    }

    @Override
    public Candidate choose(Candidate finalBundle, List<Candidate> epochs) {
      Objects.requireNonNull(finalBundle, "finalBundle");
      Candidate best = finalBundle;
      for (Candidate c : epochs) {
        int cmp = Double.compare(score(c), score(best));
        if (cmp > 0 || (cmp == 0 && best != finalBundle && c.epoch() > best.epoch())) {
          best = c;
        }
      }
      return best;
    }

    private static double score(Candidate c) {
      return Double.isNaN(c.sourceAccuracy()) ? Double.NEGATIVE_INFINITY : c.sourceAccuracy();
    }
  }
}
