package dev.daflow.platform.config;

import dev.daflow.events.kafka.KafkaSecurity;
import dev.daflow.platform.kafka.KafkaSettings;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Kafka group of every service's {@code @ConfigMapping} ({@code daflow.kafka.*}), defined
 * once: where the cluster is and how to reach it securely. The security properties are those of
 * {@link KafkaSecurity} ({@code daflow.kafka.security-protocol} is {@value
 * KafkaSecurity#ENV_PROTOCOL}, {@code daflow.kafka.sasl.password} is {@value
 * KafkaSecurity#ENV_SASL_PASSWORD}...), the same variables the CLI reads; unset, the clients talk
 * {@code PLAINTEXT}.
 */
public interface KafkaGroup {
  /**
   * {@code host:port[,host:port...]}; {@code application.properties} sets it from {@code
   * KAFKA_BOOTSTRAP_SERVERS}.
   */
  String bootstrapServers();

  /**
   * Replication factor of the topics a service creates at start ({@code
   * daflow.kafka.replication}, {@code DAFLOW_KAFKA_REPLICATION}): 1 on a single broker, 3 on a
   * production cluster.
   */
  @WithDefault("1")
  short replication();

  /**
   * {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL} ({@value
   * KafkaSecurity#ENV_PROTOCOL}).
   */
  @WithDefault("PLAINTEXT")
  String securityProtocol();

  /** {@code daflow.kafka.sasl.*}: the SASL mechanism and the user (from a Secret). */
  Sasl sasl();

  /** {@code daflow.kafka.ssl.*}: the trust store and the key store. */
  Ssl ssl();

  /** {@code daflow.kafka.sasl.*}. */
  interface Sasl {
    /** {@value KafkaSecurity#ENV_SASL_MECHANISM}. */
    @WithDefault(KafkaSecurity.DEFAULT_MECHANISM)
    String mechanism();

    /** {@value KafkaSecurity#ENV_SASL_USERNAME}. */
    Optional<String> username();

    /** {@value KafkaSecurity#ENV_SASL_PASSWORD}. */
    Optional<String> password();
  }

  /** {@code daflow.kafka.ssl.*}. */
  interface Ssl {
    /** {@code DAFLOW_KAFKA_SSL_TRUSTSTORE_*}; absent: the JVM's trusted CAs. */
    Store truststore();

    /** {@code DAFLOW_KAFKA_SSL_KEYSTORE_*}; absent: no client certificate. */
    Store keystore();
  }

  /** A store: {@code location}, {@code password}, {@code type} (default {@code PKCS12}). */
  interface Store {
    Optional<String> location();

    Optional<String> password();

    @WithDefault(KafkaSecurity.DEFAULT_STORE_TYPE)
    String type();
  }

  /**
   * The security settings, checked.
   *
   * @throws IllegalArgumentException naming what is wrong (see {@link KafkaSecurity})
   */
  default KafkaSecurity security() {
    return new KafkaSecurity(securityProtocol(), sasl().mechanism(),
        sasl().username().orElse(null), sasl().password().orElse(null),
        store(ssl().truststore()), store(ssl().keystore()));
  }

  private static KafkaSecurity.Store store(Store s) {
    return s.location().map(l -> new KafkaSecurity.Store(Path.of(l), s.password().orElse(null),
        s.type())).orElse(null);
  }

  /** The client settings of {@code service}. */
  default KafkaSettings toSettings(String service) {
    return new KafkaSettings(bootstrapServers(), service, security());
  }
}
