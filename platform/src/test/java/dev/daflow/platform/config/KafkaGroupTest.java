package dev.daflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
