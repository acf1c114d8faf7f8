package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.events.Topics;
import dev.daflow.events.kafka.KafkaSecurity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker with its {@code SASL_SSL} listener: TLS with a certificate made at start, SCRAM
 * users, ACLs. Who gets in, who may write the training requests, who is refused.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KafkaBrokerSaslSslTest {

  @TempDir
  static Path dir;

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(dir.resolve("kafka"), dir.resolve("logs/kafka.log"), 0,
        KafkaBroker.Listener.SASL_SSL);
    try (Admin admin = Admin.create(props(broker.clientSecurity(BrokerSecurity.ADMIN_USER)))) {
      admin.createTopics(List.of(new NewTopic(Topics.TRAINING_REQUESTS, 1, (short) 1),
          new NewTopic(Topics.TRAINING, 1, (short) 1),
          new NewTopic(Topics.trainingRequestsOf(BrokerSecurity.CLIENT_USER), 1, (short) 1),
          new NewTopic(Topics.trainingRequestsOf(BrokerSecurity.SERVICES_USER), 1, (short) 1),
          new NewTopic(Topics.trainingRequestsOf("someone-else"), 1, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theListenerIsSaslSslOnly() throws Exception {
    assertThat(broker.listener()).isEqualTo(KafkaBroker.Listener.SASL_SSL);
    String config = Files.readString(dir.resolve("kafka/server.properties"),
        StandardCharsets.UTF_8);
    assertThat(config).contains("listeners=SASL_SSL://127.0.0.1:" + broker.port() + ",")
        .contains("listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL")
        .doesNotContain("PLAINTEXT://");
    assertThat(broker.clientSecurity().toString()).contains("SASL_SSL", "daflow-services")
        .doesNotContain(broker.clientSecurity().password());
  }

  @Test
  void theClientUserRequestsTrainingOnItsOwnTopicOnly() throws Exception {
    try (KafkaProducer<String, byte[]> p = producer(
        broker.clientSecurity(BrokerSecurity.CLIENT_USER))) {
      String own = Topics.trainingRequestsOf(BrokerSecurity.CLIENT_USER);
      assertThat(p.send(new ProducerRecord<>(own, "job", bytes())).get().topic())
          .isEqualTo("daflow.training.requests.daflow-client");
      // Not another user's topic (the trainer would name that user), not the plain one, not
      // the services' events.
      for (String other : List.of(Topics.trainingRequestsOf("someone-else"),
          Topics.trainingRequestsOf(BrokerSecurity.SERVICES_USER), Topics.TRAINING_REQUESTS,
          Topics.TRAINING)) {
        assertThatThrownBy(() -> p.send(new ProducerRecord<>(other, "job", bytes())).get())
            .as(other).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  @Test
  void theServicesMayWriteTheirTopicsButNotThePlainRequests() throws Exception {
    try (KafkaProducer<String, byte[]> p = producer(broker.clientSecurity())) {
      assertThat(p.send(new ProducerRecord<>(Topics.TRAINING, "job", bytes())).get().topic())
          .isEqualTo(Topics.TRAINING);
      // trainer-service's POST /jobs publishes on the services' own requests topic.
      String own = Topics.trainingRequestsOf(BrokerSecurity.SERVICES_USER);
      assertThat(p.send(new ProducerRecord<>(own, "job", bytes())).get().topic()).isEqualTo(own);
      assertThatThrownBy(() -> p.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, "job",
          bytes())).get()).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  /**
   * An outage: stopped and started again on its data, the broker keeps its records, its users and
   * its ACLs, on the same port, and a client made before the outage carries on by itself.
   * Runs last (a restart takes a few seconds).
   */
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void aRestartKeepsRecordsUsersAndAcls() throws Exception {
    try (KafkaProducer<String, byte[]> p = producer(broker.clientSecurity())) {
      RecordMetadata before = p.send(new ProducerRecord<>(Topics.TRAINING, "restart",
          bytes())).get();
      long pid = broker.process().pid();
      broker.stop();
      assertThat(broker.process().isAlive()).isFalse();
      broker.restart();
      assertThat(broker.process().isAlive()).isTrue();
      assertThat(broker.process().pid()).isNotEqualTo(pid);
      // The same producer, reconnected: the partition goes on after the record kept.
      RecordMetadata after = p.send(new ProducerRecord<>(Topics.TRAINING, "restart",
          bytes())).get();
      assertThat(after.offset()).isEqualTo(before.offset() + 1);
      assertThatThrownBy(() -> p.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, "job",
          bytes())).get()).hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    assertThatThrownBy(broker::restart).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is running");
  }

  @Test
  void aWrongPasswordIsRefused() {
    KafkaSecurity wrong = broker.clientSecurity(BrokerSecurity.CLIENT_USER)
        .withUser(BrokerSecurity.CLIENT_USER, "not-the-password");
    try (Admin admin = Admin.create(props(wrong))) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void aPlaintextClientGetsNothing() {
    Properties p = props(KafkaSecurity.PLAINTEXT);
    try (Admin admin = Admin.create(p)) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .isInstanceOf(ExecutionException.class);
    }
  }

  private static Properties props(KafkaSecurity security) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    return security.apply(p);
  }

  private static KafkaProducer<String, byte[]> producer(KafkaSecurity security) {
    Properties p = props(security);
    p.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static byte[] bytes() {
    return "{}".getBytes(StandardCharsets.UTF_8);
  }
}
