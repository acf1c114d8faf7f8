package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.events.Topics;
import dev.daflow.events.kafka.KafkaSecurity;
import dev.daflow.local.BrokerSecurity;
import dev.daflow.local.KafkaBroker;
import dev.daflow.local.Services;
import dev.daflow.platform.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The platform's Kafka is SASL_SSL only (the flow of {@link FlowIT} runs over it): every service
 * is connected with the services' user, and the broker refuses a wrong password, a plaintext
 * client, and a service's user writing training requests.
 */
@ExtendWith(Platform.class)
@Order(5)
class KafkaSecurityIT {

  @Test
  void everyServiceReachesKafkaOverSaslSsl() throws Exception {
    Platform p = Platform.get();
    assertThat(p.stack.kafka().listener()).isEqualTo(KafkaBroker.Listener.SASL_SSL);
    assertThat(p.stack.environment())
        .containsEntry(KafkaSecurity.ENV_PROTOCOL, "SASL_SSL")
        .containsEntry(KafkaSecurity.ENV_SASL_USERNAME, BrokerSecurity.SERVICES_USER);
    for (Services.Service s : Services.Service.values()) {
      Http.Reply ready = Http.get(p.url(s, "/q/health/ready"));
      assertThat(ready.status()).as(s.module() + " ready: " + ready.body()).isEqualTo(200);
      JsonNode kafka = null;
      for (JsonNode check : ready.json().path("checks")) {
        if (check.path("name").asText().equals("kafka")) {
          kafka = check;
        }
      }
      assertThat(kafka).as(s.module() + " has a kafka check: " + ready.body()).isNotNull();
      assertThat(kafka.path("status").asText()).as(s.module()).isEqualTo("UP");
    }
  }

  @Test
  void aClientWithAWrongPasswordIsRefused() {
    Platform p = Platform.get();
    KafkaSecurity wrong = p.kafka.security().withUser(BrokerSecurity.CLIENT_USER, "wrong");
    try (Admin admin = Admin.create(timeouts(new KafkaSettings(p.kafka.bootstrapServers(),
        "e2e-wrong", wrong).admin()))) {
      assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void aPlaintextClientIsRefused() {
    Platform p = Platform.get();
    try (Admin admin = Admin.create(timeouts(new KafkaSettings(p.kafka.bootstrapServers(),
        "e2e-plain").admin()))) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .isInstanceOf(ExecutionException.class);
    }
  }

  @Test
  void onlyTheRequestWritersMayRequestTraining() {
    Platform p = Platform.get();
    KafkaSettings services = new KafkaSettings(p.kafka.bootstrapServers(), "e2e-as-service",
        p.stack.kafka().clientSecurity());
    Properties props = services.producer();
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS,
          "e2e-not-allowed", "{}".getBytes(StandardCharsets.UTF_8))).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  private static Properties timeouts(Properties p) {
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
    return p;
  }
}
