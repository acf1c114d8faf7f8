package dev.daflow.events;

/**
 * evaluator-service did not promote a completed job's model: the bundle its promotion policy
 * picked stays a candidate, and the model keeps serving its current version. Produced on {@link
 * Topics#MODELS}, once per job (a redelivery announces the recorded decision again under the same
 * event id). Like every promotion decision it reads no target-domain label.
 *
 * @param modelName the model (the key)
 * @param jobId the job whose bundle was declined
 * @param bundleKey object-store key of the bundle the policy picked (an epoch's or the job's)
 * @param sha256 hex SHA-256 of that bundle object
 * @param policy the promotion policy, e.g. {@code source-val-accuracy}
 * @param reason why, one of {@link #COLLAPSED}, {@link #NOT_BETTER}, {@link #UNMEASURED}
 * @param validator the validator the decision compared or tested, e.g. {@code im} or {@code
 *     largest_class_share}; {@code null} when none applies
 * @param candidateValue the picked bundle's value of {@code validator}; {@code null} when it has
 *     none
 * @param currentVersion the model's serving version it was compared with; {@code null} when the
 *     decision compared none (a collapsed model, or a model without a version yet)
 * @param currentValue that version's value of {@code validator}; {@code null} likewise
 * @param detail the decision in words, for logs and people
 */
public record ModelPromotionDeclined(String modelName, String jobId, String bundleKey,
    String sha256, String policy, String reason, @Nullable String validator,
    @Nullable Double candidateValue, @Nullable Integer currentVersion,
    @Nullable Double currentValue, String detail) implements DaflowEvent {

  /**
   * {@code collapsed}: the model predicts one class for most target pictures (more than {@code
   * (1 + 1/k) / 2} of them, k classes); never promoted, whatever the policy.
   */
  public static final String COLLAPSED = "collapsed";

  /**
   * {@code not-better}: by the policy's validator the bundle does not beat the model's serving
   * version on the same target domain (a tie does not beat it).
   */
  public static final String NOT_BETTER = "not-better";

  /**
   * {@code unmeasured}: the bundle has no value of the policy's validator to compare with the
   * serving version's (the validator could not be computed for it).
   */
  public static final String UNMEASURED = "unmeasured";

  @Override
  public String key() {
    return modelName;
  }
}
