package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageConfigTest {
  private static final String SECRET = "s3cr3t-Do-Not-Print";

  @Test
  void defaultsAndNeverPrintsTheSecret() {
    StorageConfig c = StorageConfig.of("http://minio:9000", "daflow", SECRET);

    assertThat(c.endpoint()).isEqualTo(URI.create("http://minio:9000"));
    assertThat(c.region()).isEqualTo("us-east-1");
    assertThat(c.buckets()).isEqualTo(StorageConfig.Buckets.DEFAULT);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.toString())
        .doesNotContain(SECRET)
        .contains("secretKey=****", "endpoint=http://minio:9000", "accessKey=daflow",
            "daflow-datasets");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://minio:9000", "minio:9000", "http:///x",
      "http://minio:9000/bucket", "http://minio:9000?x=1", "http://user:pw@minio:9000"})
  void rejectsEndpointsThatAreNotAServerUrl(String endpoint) {
    assertThatThrownBy(() -> StorageConfig.of(endpoint, "a", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("endpoint must");
  }

  @Test
  void acceptsHttpsAndATrailingSlash() {
    assertThat(StorageConfig.of("https://s3.example.org/", "a", "b").endpoint().getHost())
        .isEqualTo("s3.example.org");
  }

  @Test
  void checksEveryOtherComponent() {
    StorageConfig c = StorageConfig.of("http://minio:9000", "a", "b");
    assertThatThrownBy(() -> StorageConfig.of("http://minio:9000", " ", "b"))
        .hasMessage("accessKey must not be empty");
    assertThatThrownBy(() -> StorageConfig.of("http://minio:9000", "a", null))
        .hasMessage("secretKey must not be empty");
    assertThatThrownBy(() -> new StorageConfig(c.endpoint(), "US East", "a", "b", c.buckets(),
        c.connectTimeout(), c.readTimeout()))
        .hasMessage("region must be 1-64 lower-case letters, digits or '-', got 'US East'");
    assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("connectTimeout must be positive and at most a day, got PT0S");
    assertThatThrownBy(() -> c.withTimeouts(Duration.ofSeconds(1), null))
        .hasMessage("readTimeout must be positive and at most a day, got null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "Daflow-models", "daflow_models", "-daflow", "daflow-",
      "daflow..models", "192.168.1.10"})
  void bucketsFollowS3sNamingRules(String name) {
    assertThatThrownBy(() -> new StorageConfig.Buckets("daflow-datasets", name, "daflow-models"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("checkpoints bucket must be 3-63 lower-case letters")
        .hasMessageEndingWith("got '" + name + "'");
  }

  @Test
  void bucketsByKindAndOneBucketForAll() {
    StorageConfig.Buckets b = StorageConfig.Buckets.DEFAULT;
    assertThat(b.forKind(ObjectKind.DATASET)).isEqualTo("daflow-datasets");
    assertThat(b.forKind(ObjectKind.CHECKPOINT)).isEqualTo("daflow-checkpoints");
    assertThat(b.forKind(ObjectKind.BUNDLE)).isEqualTo("daflow-models");
    assertThat(b.all()).containsExactly("daflow-datasets", "daflow-checkpoints", "daflow-models");
    assertThat(StorageConfig.Buckets.single("daflow").all()).containsExactly("daflow");
  }

  @Test
  void readsTheEnvironment() {
    Map<String, String> env = new HashMap<>(Map.of(
        "DAFLOW_STORAGE_ENDPOINT", "http://minio:9000",
        "DAFLOW_STORAGE_ACCESS_KEY", "daflow",
        "DAFLOW_STORAGE_SECRET_KEY", SECRET));

    StorageConfig defaults = StorageConfig.fromEnvironment(env);
    assertThat(defaults).isEqualTo(StorageConfig.of("http://minio:9000", "daflow", SECRET));

    env.put("DAFLOW_STORAGE_REGION", "eu-west-1");
    env.put("DAFLOW_STORAGE_BUCKET_DATASETS", "team-data");
    env.put("DAFLOW_STORAGE_BUCKET_CHECKPOINTS", "team-data");
    env.put("DAFLOW_STORAGE_BUCKET_MODELS", "team-models");
    env.put("DAFLOW_STORAGE_CONNECT_TIMEOUT", "500ms");
    env.put("DAFLOW_STORAGE_READ_TIMEOUT", "PT2M");
    StorageConfig c = StorageConfig.fromEnvironment(env);
    assertThat(c.region()).isEqualTo("eu-west-1");
    assertThat(c.buckets().all()).containsExactly("team-data", "team-models");
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void listsWhatTheEnvironmentLacks() {
    assertThatThrownBy(() -> StorageConfig.fromEnvironment(
        Map.of("DAFLOW_STORAGE_ENDPOINT", "http://minio:9000", "DAFLOW_STORAGE_SECRET_KEY", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("object store not configured: set DAFLOW_STORAGE_ACCESS_KEY, "
            + "DAFLOW_STORAGE_SECRET_KEY");
  }

  @Test
  void parsesDurationsAsQuarkusDoes() {
    Duration fallback = Duration.ofSeconds(9);
    assertThat(StorageConfig.parseDuration("t", "250ms", fallback))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(StorageConfig.parseDuration("t", "5s", fallback)).isEqualTo(Duration.ofSeconds(5));
    assertThat(StorageConfig.parseDuration("t", "7", fallback)).isEqualTo(Duration.ofSeconds(7));
    assertThat(StorageConfig.parseDuration("t", "2m", fallback)).isEqualTo(Duration.ofMinutes(2));
    assertThat(StorageConfig.parseDuration("t", "1h", fallback)).isEqualTo(Duration.ofHours(1));
    assertThat(StorageConfig.parseDuration("t", "PT1.5S", fallback))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(StorageConfig.parseDuration("t", " ", fallback)).isEqualTo(fallback);
    assertThatThrownBy(() -> StorageConfig.parseDuration("DAFLOW_STORAGE_READ_TIMEOUT", "soon",
        fallback))
        .hasMessage("DAFLOW_STORAGE_READ_TIMEOUT must be a duration such as 500ms, 5s, 2m or "
            + "PT5S, got 'soon'");
  }
}
