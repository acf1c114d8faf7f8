package dev.daflow.evaluator.config;

import dev.daflow.platform.config.KafkaGroup;
import dev.daflow.platform.config.StorageSettings;
import dev.daflow.storage.StorageConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The evaluator-service's own configuration, everything under {@code daflow.*} (see {@code
 * application.properties}). Each property can be set by its environment variable, named the
 * Quarkus way: {@code daflow.storage.access-key} is {@code DAFLOW_STORAGE_ACCESS_KEY}, the
 * variables {@link StorageConfig#fromEnvironment} and {@code bin/local-stack}'s {@code
 * stack.env} use; {@code daflow.evaluator.promotion-policy} is {@code
 * DAFLOW_EVALUATOR_PROMOTION_POLICY}.
 */
@ConfigMapping(prefix = "daflow")
public interface EvaluatorConfig {

  /** The Kafka cluster the events travel on ({@code daflow.kafka.*}). */
  KafkaGroup kafka();

  /** The object store (MinIO, S3Proxy or any S3 server), {@code daflow.storage.*}. */
  StorageSettings storage();

  /** What this service does, {@code daflow.evaluator.*}. */
  Evaluator evaluator();

  /** {@code daflow.evaluator.*}. */
  interface Evaluator {
    /**
     * Which bundle of a completed job becomes the model's next version ({@code
     * DAFLOW_EVALUATOR_PROMOTION_POLICY}): {@code final} (the job's own bundle) or {@code
     * best-source} (the epoch bundle with the highest source test accuracy). No policy reads
     * target-domain accuracy.
     */
    @WithDefault("final")
    String promotionPolicy();

    /**
     * At most this many pictures of each test split are evaluated, the first ones ({@code
     * DAFLOW_EVALUATOR_TEST_LIMIT}); 0: the whole split.
     */
    @WithDefault("0")
    int testLimit();

    /** Test splits kept in memory between evaluations ({@code DAFLOW_EVALUATOR_TEST_CACHE}). */
    @WithDefault("4")
    int testCache();
  }
}
