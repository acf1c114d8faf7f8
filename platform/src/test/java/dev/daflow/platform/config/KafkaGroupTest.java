package dev.daflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.kafka.KafkaSecurity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KafkaGroup} mapped as a service maps it. */
class KafkaGroupTest {

  @ConfigMapping(prefix = "daflow")
  interface Mapping {
    KafkaGroup kafka();
  }

  private static KafkaGroup map(Map<String, String> properties) {
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .withMapping(Mapping.class)
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build();
    return config.getConfigMapping(Mapping.class).kafka();
  }

  @Test
  void replicationDefaultsToOne() {
    KafkaGroup kafka = map(Map.of("daflow.kafka.bootstrap-servers", "broker:9092"));
    assertThat(kafka.replication()).isEqualTo((short) 1);
    assertThat(kafka.toSettings("trainer-service").bootstrapServers()).isEqualTo("broker:9092");
  }

  @Test
  void replicationIsConfigurable() {
    KafkaGroup kafka = map(Map.of("daflow.kafka.bootstrap-servers", "broker:9092",
        "daflow.kafka.replication", "3"));
    assertThat(kafka.replication()).isEqualTo((short) 3);
  }

  @Test
  void plaintextByDefault() {
    KafkaGroup kafka = map(Map.of("daflow.kafka.bootstrap-servers", "broker:9092"));
    assertThat(kafka.security()).isEqualTo(KafkaSecurity.PLAINTEXT);
    assertThat(kafka.toSettings("data-service").admin())
        .containsEntry("security.protocol", "PLAINTEXT").doesNotContainKey("sasl.jaas.config");
  }

  @Test
  void securityFromTheSameVariablesTheCliReads(@TempDir Path dir) throws Exception {
    Path trust = Files.writeString(dir.resolve("ca.p12"), "x");
    Map<String, String> env = Map.of(
        KafkaSecurity.ENV_PROTOCOL, "SASL_SSL",
        KafkaSecurity.ENV_SASL_USERNAME, "trainer-service",
        KafkaSecurity.ENV_SASL_PASSWORD, "from-a-secret",
        KafkaSecurity.ENV_TRUSTSTORE_LOCATION, trust.toString(),
        KafkaSecurity.ENV_TRUSTSTORE_PASSWORD, "store-pass");
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .withMapping(Mapping.class)
        .withSources(new PropertiesConfigSource(
            Map.of("daflow.kafka.bootstrap-servers", "broker:9093"), "test", 100))
        .withSources(new EnvConfigSource(env, 300))
        .build();
    KafkaGroup kafka = config.getConfigMapping(Mapping.class).kafka();
    assertThat(kafka.security()).isEqualTo(KafkaSecurity.fromEnvironment(env::get));
    Properties consumer = kafka.toSettings("trainer-service").consumer("g");
    assertThat(consumer).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", trust.toString())
        .containsEntry("ssl.truststore.password", "store-pass");
    assertThat(consumer.getProperty("sasl.jaas.config"))
        .contains("username=\"trainer-service\"", "password=\"from-a-secret\"");
  }

  @Test
  void saslWithoutPasswordIsRefusedByName() {
    KafkaGroup kafka = map(Map.of("daflow.kafka.bootstrap-servers", "broker:9092",
        "daflow.kafka.security-protocol", "SASL_SSL", "daflow.kafka.sasl.username", "u"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> kafka.toSettings("x"))
        .hasMessageContaining(KafkaSecurity.ENV_SASL_PASSWORD);
  }
}
