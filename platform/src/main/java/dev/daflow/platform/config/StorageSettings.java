package dev.daflow.platform.config;

import dev.daflow.storage.StorageConfig;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The object-store group of every service's {@code @ConfigMapping} ({@code daflow.storage.*}),
 * defined once. Each property can be set by its environment variable, named the Quarkus way:
 * {@code daflow.storage.access-key} is {@code DAFLOW_STORAGE_ACCESS_KEY}, the variables {@link
 * StorageConfig#fromEnvironment} and {@code bin/local-stack}'s {@code stack.env} use. Endpoint,
 * access key and secret key are required; the rest has {@link StorageConfig}'s defaults.
 */
public interface StorageSettings {
  /** {@code http(s)://host:port}, without path ({@code DAFLOW_STORAGE_ENDPOINT}). */
  String endpoint();

  /** The signing region ({@code DAFLOW_STORAGE_REGION}). */
  @WithDefault(StorageConfig.DEFAULT_REGION)
  String region();

  /** {@code DAFLOW_STORAGE_ACCESS_KEY}. */
  String accessKey();

  /** {@code DAFLOW_STORAGE_SECRET_KEY}. */
  String secretKey();

  /** {@code daflow.storage.bucket.*}. */
  Bucket bucket();

  /** {@code DAFLOW_STORAGE_CONNECT_TIMEOUT}, e.g. {@code 5s}. */
  @WithDefault("5s")
  Duration connectTimeout();

  /** {@code DAFLOW_STORAGE_READ_TIMEOUT}, e.g. {@code 60s}. */
  @WithDefault("60s")
  Duration readTimeout();

  /**
   * Certificates to trust for an {@code https} endpoint whose CA is private ({@code
   * daflow.storage.truststore.*}: {@code DAFLOW_STORAGE_TRUSTSTORE_LOCATION}, {@code _PASSWORD},
   * {@code _TYPE}); absent: the JVM's CAs.
   */
  TrustStore truststore();

  /** {@code daflow.storage.truststore.*}. */
  interface TrustStore {
    /** {@code DAFLOW_STORAGE_TRUSTSTORE_LOCATION}: a PEM file of certificates, or a store. */
    Optional<String> location();

    /** {@code DAFLOW_STORAGE_TRUSTSTORE_PASSWORD} (a Secret), none for PEM. */
    Optional<String> password();

    /** {@code DAFLOW_STORAGE_TRUSTSTORE_TYPE}: PEM, PKCS12 or JKS; unset: by the file name. */
    Optional<String> type();
  }

  /**
   * The storage module's configuration, checked by {@link StorageConfig}'s constructor.
   *
   * @throws IllegalArgumentException naming an invalid value
   */
  default StorageConfig toStorageConfig() {
    return new StorageConfig(URI.create(endpoint().trim()), region(), accessKey(), secretKey(),
        new StorageConfig.Buckets(bucket().datasets(), bucket().checkpoints(), bucket().models()),
        connectTimeout(), readTimeout(), truststore().location()
            .map(l -> new StorageConfig.TrustStore(Path.of(l.trim()),
                truststore().password().orElse(null), truststore().type().orElse(null)))
            .orElse(null));
  }

  /** The bucket of each kind of object ({@code DAFLOW_STORAGE_BUCKET_*}). */
  interface Bucket {
    /** {@code DAFLOW_STORAGE_BUCKET_DATASETS}. */
    @WithDefault("daflow-datasets")
    String datasets();

    /** {@code DAFLOW_STORAGE_BUCKET_CHECKPOINTS}. */
    @WithDefault("daflow-checkpoints")
    String checkpoints();

    /** {@code DAFLOW_STORAGE_BUCKET_MODELS}. */
    @WithDefault("daflow-models")
    String models();
  }
}
