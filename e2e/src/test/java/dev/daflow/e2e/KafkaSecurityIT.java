package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.events.Principals;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.events.kafka.KafkaSecurity;
import dev.daflow.local.BrokerSecurity;
import dev.daflow.local.KafkaBroker;
import dev.daflow.local.LocalAuth;
import dev.daflow.local.Services;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
 * client, a service's user writing the plain requests topic and a client writing any requests
 * topic but its own; who asked for a job is the authenticated user.
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
      JsonNode kafka = null;
      List<String> down = new java.util.ArrayList<>();
      for (JsonNode check : ready.json().path("checks")) {
        if (check.path("name").asText().equals("kafka")) {
          kafka = check;
        }
        if (!check.path("status").asText().equals("UP")) {
          down.add(check.path("name").asText());
        }
      }
      // Inference is ready once a model is promoted: not yet when this class runs alone.
      assertThat(down).as(s.module() + " ready: " + ready.body())
          .isSubsetOf(s == Services.Service.INFERENCE ? List.of("models") : List.of());
      assertThat(ready.status()).as(s.module() + " ready: " + ready.body())
          .isEqualTo(down.isEmpty() ? 200 : 503);
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

  /**
   * Who asked for a job comes from Kafka's authentication: a request daflow-client publishes (on
   * its own topic, the only requests topic it may write) ends as {@code kafka:daflow-client} in
   * the job record and the model card, whatever principal it claims; a request made with {@code
   * POST /jobs} (the services publish it on their own topic) as the token's user.
   */
  @Test
  void whoAskedForAJobIsTheAuthenticatedUser() throws Exception {
    Platform p = Platform.get();
    for (String name : List.of("mnist", "usps")) {
      Http.Reply r = Http.post(p.url(Services.Service.DATA, "/datasets/catalog/" + name),
          "application/json", new byte[0]);
      assertThat(r.status()).as(r.body()).isIn(200, 201);
    }
    // Over HTTP: recorded as the token's user; cancelled once it runs.
    String rest = "e2e-principal-rest";
    Http.Reply posted = Http.postJson(p.url(Services.Service.TRAINER, "/jobs"), Map.of(
        "jobId", rest, "method", "source-only", "source", "mnist", "target", "usps",
        "epochs", 500, "batchSize", 64, "trainLimit", 500));
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);
    p.events.await(TrainingStarted.class, e -> e.jobId().equals(rest), Duration.ofMinutes(3));
    assertThat(Http.get(p.url(Services.Service.TRAINER, "/jobs/" + rest)).json()
        .path("requestedBy").asText()).isEqualTo(Principals.jwt(LocalAuth.LOCAL_USER));
    Http.post(p.url(Services.Service.TRAINER, "/jobs/" + rest + "/cancel"), "application/json",
        new byte[0]);
    p.events.await(TrainingCancelled.class, e -> e.jobId().equals(rest), Duration.ofMinutes(2));

    // Straight on Kafka as daflow-client, claiming to be someone else.
    assertThat(p.publisher.requestsTopic())
        .isEqualTo(Topics.trainingRequestsOf(BrokerSecurity.CLIENT_USER));
    String job = "e2e-principal-kafka";
    p.publisher.publish(new TrainingRequested(job, "digits-principal", "source-only", "mnist",
        "usps", "lenet", 1, 64, null, null, "none", 5, 500), UUID.randomUUID().toString(),
        "jwt:the-boss");
    TrainingCompleted done = p.events.await(TrainingCompleted.class, e -> e.jobId().equals(job),
        Duration.ofMinutes(4));
    assertThat(Http.get(p.url(Services.Service.TRAINER, "/jobs/" + job)).json()
        .path("requestedBy").asText()).isEqualTo("kafka:daflow-client");
    try (ObjectStore store = new ObjectStore(p.stack.storage())) {
      assertThat(ModelBundle.read(store.getBytes(done.bundleKey()), done.bundleKey()).card()
          .requestedBy()).isEqualTo("kafka:daflow-client");
    }
  }

  @Test
  void aClientWritesOnlyItsOwnRequestsTopic() throws Exception {
    Platform p = Platform.get();
    // Another user's topic, made by the super user (the broker creates no topic on its own),
    // deleted after: the trainers read every requests topic, and a stray one would change how
    // the later tests' replicas share the partitions (ReplicasIT).
    String someoneElse = Topics.trainingRequestsOf("someone-else");
    KafkaSettings superUser = new KafkaSettings(p.kafka.bootstrapServers(), "e2e-admin",
        p.stack.kafka().clientSecurity(BrokerSecurity.ADMIN_USER));
    try (Admin admin = Admin.create(timeouts(superUser.admin()))) {
      admin.createTopics(List.of(new NewTopic(someoneElse, 1, (short) 1))).all().get();
    }
    try {
      Properties props = p.kafka.withClientId("e2e-other-topics").producer();
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
      props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
        for (String other : List.of(Topics.trainingRequestsOf(BrokerSecurity.SERVICES_USER),
            someoneElse, Topics.TRAINING_REQUESTS, Topics.MODELS)) {
          assertThatThrownBy(() -> producer.send(new ProducerRecord<>(other, "e2e-not-allowed",
              "{}".getBytes(StandardCharsets.UTF_8))).get())
              .as(other).isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
      }
    } finally {
      try (Admin admin = Admin.create(timeouts(superUser.admin()))) {
        admin.deleteTopics(List.of(someoneElse)).all().get();
      }
    }
  }

  private static Properties timeouts(Properties p) {
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
    return p;
  }
}
