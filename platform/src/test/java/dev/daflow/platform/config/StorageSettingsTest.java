package dev.daflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.storage.StorageConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StorageSettings} mapped from the environment as a service maps it: the trust store. */
class StorageSettingsTest {

  @ConfigMapping(prefix = "daflow")
  interface Mapping {
    StorageSettings storage();
  }

  private static StorageConfig map(Map<String, String> env) {
    return new SmallRyeConfigBuilder().withMapping(Mapping.class)
        .withSources(new EnvConfigSource(env, 300)).build()
        .getConfigMapping(Mapping.class).storage().toStorageConfig();
  }

  private static Map<String, String> env(String endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put(StorageConfig.ENV_ENDPOINT, endpoint);
    env.put(StorageConfig.ENV_ACCESS_KEY, "access");
    env.put(StorageConfig.ENV_SECRET_KEY, "secret-from-a-secret");
    // Plain SmallRye Config reads durations as ISO-8601 only (Quarkus adds "5s").
    env.put(StorageConfig.ENV_CONNECT_TIMEOUT, "PT5S");
    env.put(StorageConfig.ENV_READ_TIMEOUT, "PT60S");
    return env;
  }

  @Test
  void noTrustStoreByDefault() {
    assertThat(map(env("https://s3.example.internal")).trustStore()).isNull();
  }

  @Test
  void theTrustStoreComesFromTheSameVariablesAsStorageConfigReads(@TempDir Path dir)
      throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> env = env("https://s3.example.internal");
    env.put(StorageConfig.ENV_TRUSTSTORE_LOCATION, ca.toString());
    StorageConfig config = map(env);
    assertThat(config.trustStore()).isEqualTo(new StorageConfig.TrustStore(ca, null, "PEM"));
    assertThat(config).isEqualTo(StorageConfig.fromEnvironment(env));
  }

  @Test
  void aTrustStoreForPlainHttpIsRefused(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Map<String, String> env = env("http://minio:9000");
    env.put(StorageConfig.ENV_TRUSTSTORE_LOCATION, ca.toString());
    assertThatThrownBy(() -> map(env)).hasMessageContaining("not https");
  }
}
