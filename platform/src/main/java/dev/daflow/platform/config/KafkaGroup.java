package dev.daflow.platform.config;

import dev.daflow.platform.kafka.KafkaSettings;
import io.smallrye.config.WithDefault;

/**
 * The Kafka group of every service's {@code @ConfigMapping} ({@code daflow.kafka.*}), defined
 * once.
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

  /** The client settings of {@code service}. */
  default KafkaSettings toSettings(String service) {
    return new KafkaSettings(bootstrapServers(), service);
  }
}
