package dev.daflow.platform.kafka;

import dev.daflow.events.kafka.KafkaSecurity;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the broker is and who is talking: the Kafka client properties every DAFlow process uses.
 * Records are {@code <String key, byte[] CloudEvents JSON value>}. Every producer, consumer and
 * admin client gets the same {@link KafkaSecurity} (protocol, SASL credentials, TLS stores).
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param clientId prefix of the client ids, e.g. the service name
 * @param security how the clients authenticate and encrypt ({@link KafkaSecurity#PLAINTEXT}: not
 *     at all)
 */
public record KafkaSettings(String bootstrapServers, String clientId, KafkaSecurity security) {

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(security, "security");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are empty");
    }
  }

  /** Settings of a cluster without authentication or encryption ({@code PLAINTEXT}). */
  public KafkaSettings(String bootstrapServers, String clientId) {
    this(bootstrapServers, clientId, KafkaSecurity.PLAINTEXT);
  }

  /** The same cluster and security for another client id. */
  public KafkaSettings withClientId(String id) {
    return new KafkaSettings(bootstrapServers, id, security);
  }

  /** Properties for an idempotent producer that waits for every in-sync replica. */
  public Properties producer() {
    Properties p = common("producer");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    return p;
  }

  /**
   * Properties for a consumer in group {@code groupId} that commits by hand (see {@link
   * EventConsumer}) and starts from the earliest record when the group has no offset yet.
   */
  public Properties consumer(String groupId) {
    Properties p = common("consumer-" + groupId);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    // A replica that dies hands its partitions over after 10 s rather than the default 45 s.
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    return p;
  }

  /** Properties for an admin client. */
  public Properties admin() {
    return common("admin");
  }

  private Properties common(String role) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + role);
    return security.apply(p);
  }
}
