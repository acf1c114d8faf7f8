package dev.daflow.service.common.config;

import dev.daflow.platform.config.KafkaGroup;
import dev.daflow.platform.config.StorageSettings;
import dev.daflow.service.common.retry.Backoff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * What every service reads under {@code daflow.*}: the Kafka cluster, the object store, the
 * service's own name and how it retries what fails at start. A service's own settings are a second mapping under the same prefix
 * ({@code daflow.trainer.*} in {@code TrainerConfig}...). Each property can be set by its
 * environment variable, named the MicroProfile way: {@code daflow.storage.access-key} is {@code
 * DAFLOW_STORAGE_ACCESS_KEY}, {@code daflow.kafka.replication} is {@code DAFLOW_KAFKA_REPLICATION};
 * {@code daflow.kafka.bootstrap-servers} is set from {@code KAFKA_BOOTSTRAP_SERVERS} in each
 * service's {@code application.properties}.
 */
@ConfigMapping(prefix = "daflow")
public interface CommonConfig {

  /**
   * The service's name, e.g. {@code trainer-service}: the events' {@code ce_source} ({@code
   * /daflow/trainer-service}) and the prefix of its Kafka client ids. Set in each service's
   * {@code application.properties}.
   */
  String serviceName();

  /** The Kafka cluster the events travel on ({@code daflow.kafka.*}). */
  KafkaGroup kafka();

  /** The object store (MinIO, S3Proxy or any S3 server), {@code daflow.storage.*}. */
  StorageSettings storage();

  /** The back-off of set-up and retries ({@code daflow.retry.*}). */
  Retry retry();

  /** Who may call the HTTP APIs beyond the bearer tokens' roles ({@code daflow.auth.*}). */
  Auth auth();

  /**
   * Authorisation settings besides the token verification ({@code mp.jwt.verify.*}, see {@code
   * dev.daflow.service.common.security}).
   */
  interface Auth {
    /**
     * Whether inference is public ({@code DAFLOW_AUTH_PUBLIC_INFERENCE}, default false): every
     * caller, with or without a token, then holds the {@code inference} role, and
     * inference-service's {@code /v2/*} needs no token. For those who serve openly.
     */
    @WithDefault("false")
    boolean publicInference();
  }

  /**
   * Overrides of {@link Backoff#DEFAULT}, the one definition of the default values: each property
   * left out keeps the default's.
   */
  interface Retry {
    /** The pause after the first failure ({@code DAFLOW_RETRY_FIRST_DELAY}, e.g. {@code 1s}). */
    Optional<Duration> firstDelay();

    /** The longest pause ({@code DAFLOW_RETRY_MAX_DELAY}, e.g. {@code 30s}). */
    Optional<Duration> maxDelay();

    /** How much each pause grows ({@code DAFLOW_RETRY_FACTOR}, e.g. {@code 2}). */
    Optional<Double> factor();

    /** Fraction of a pause taken off at random ({@code DAFLOW_RETRY_JITTER}, 0 to 1). */
    Optional<Double> jitter();

    /** The policy: {@link Backoff#DEFAULT} with what is set here. */
    default Backoff toBackoff() {
      Backoff d = Backoff.DEFAULT;
      return new Backoff(firstDelay().orElse(d.first()), maxDelay().orElse(d.max()),
          factor().orElse(d.factor()), jitter().orElse(d.jitter()));
    }
  }
}
