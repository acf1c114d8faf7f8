package dev.daflow.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The evaluator-service's own configuration, {@code daflow.evaluator.*} (see {@code
 * application.properties}); Kafka, the object store and the service name are the settings every
 * service shares ({@code CommonConfig} of service-common). Each property can be set by its
 * environment variable, named the Quarkus way: {@code daflow.evaluator.promotion-policy} is
 * {@code DAFLOW_EVALUATOR_PROMOTION_POLICY}.
 */
@ConfigMapping(prefix = "daflow")
public interface EvaluatorConfig {

  /** What this service does, {@code daflow.evaluator.*}. */
  Evaluator evaluator();

  /** {@code daflow.evaluator.*}. */
  interface Evaluator {
    /**
     * Which bundle of a completed job becomes the model's next version ({@code
     * DAFLOW_EVALUATOR_PROMOTION_POLICY}): {@code final} (the job's own bundle), {@code
     * best-source} (the epoch bundle with the highest source test accuracy), or a label-free
     * validator ({@code source-val-accuracy}, the default, {@code im}, {@code snd}, {@code bnm},
     * {@code entropy}, {@code class-ami}, {@code dev}): the epoch bundle it rates best,
     * promoted only if it beats the serving version by it. A collapsed model is never promoted.
     * No policy reads target-domain accuracy.
     */
    @WithDefault(dev.daflow.evaluator.service.PromotionPolicy.DEFAULT)
    String promotionPolicy();

    /**
     * Target training pictures the label-free validators are measured on, the first ones of the
     * split, labels never read ({@code DAFLOW_EVALUATOR_VALIDATOR_PICTURES}); 0: no validators
     * (a validator policy then declines every new version of a model that has one).
     */
    @WithDefault("2000")
    int validatorPictures();

    /**
     * At most this many pictures of each test split are evaluated, the first ones ({@code
     * DAFLOW_EVALUATOR_TEST_LIMIT}); 0: the whole split.
     */
    @WithDefault("0")
    int testLimit();

    /** Test splits kept in memory between evaluations ({@code DAFLOW_EVALUATOR_TEST_CACHE}). */
    @WithDefault("4")
    int testCache();

    /**
     * Source and target test pictures each that a model report's feature embeddings and proxy
     * A-distance are computed on ({@code DAFLOW_EVALUATOR_REPORT_SAMPLE}; at least 4).
     */
    @WithDefault("500")
    int reportSample();

    /**
     * data-service's base URL as a reader of a model report reaches it, for the links to the
     * datasets' previews ({@code DAFLOW_EVALUATOR_DATA_URL}); unset: the report names the path.
     */
    Optional<String> dataUrl();
  }
}
