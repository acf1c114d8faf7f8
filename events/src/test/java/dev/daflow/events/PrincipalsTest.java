package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrincipalsTest {

  @Test
  void aUsersTopicNamesItsUserWhateverTheRecordSays() {
    String topic = Topics.trainingRequestsOf("daflow-client");
    assertThat(topic).isEqualTo("daflow.training.requests.daflow-client");
    assertThat(Principals.ofRequest(topic, null, "daflow-services"))
        .isEqualTo("kafka:daflow-client");
    // A self-asserted principal is ignored: only daflow-client may write its topic.
    assertThat(Principals.ofRequest(topic, "jwt:the-boss", "daflow-services"))
        .isEqualTo("kafka:daflow-client");
    assertThat(Principals.ofRequest(topic, "jwt:the-boss", null))
        .isEqualTo("kafka:daflow-client");
  }

  @Test
  void theServicesOwnTopicCarriesTheTokensUser() {
    String own = Topics.trainingRequestsOf("daflow-services");
    assertThat(Principals.ofRequest(own, "jwt:alice", "daflow-services")).isEqualTo("jwt:alice");
    // Without the attribute it is the services' user itself.
    assertThat(Principals.ofRequest(own, null, "daflow-services"))
        .isEqualTo("kafka:daflow-services");
    // Another service's user: its topic is that user's, the attribute is not taken.
    assertThat(Principals.ofRequest(own, "jwt:alice", "daflow-trainer"))
        .isEqualTo("kafka:daflow-services");
  }

  @Test
  void thePlainTopicIsAnonymousOnSaslAndTheServicesWordWithout() {
    // SASL: only the super user may write the plain topic; nobody vouches for an attribute.
    assertThat(Principals.ofRequest(Topics.TRAINING_REQUESTS, "jwt:alice", "daflow-services"))
        .isEqualTo(Principals.KAFKA_ANONYMOUS);
    assertThat(Principals.ofRequest(Topics.TRAINING_REQUESTS, null, "daflow-services"))
        .isEqualTo("kafka:anonymous");
    // PLAINTEXT: the service's REST API publishes there with the token's user; the CLI none.
    assertThat(Principals.ofRequest(Topics.TRAINING_REQUESTS, "jwt:alice", null))
        .isEqualTo("jwt:alice");
    assertThat(Principals.ofRequest(Topics.TRAINING_REQUESTS, null, null))
        .isEqualTo("kafka:anonymous");
  }

  @Test
  void otherTopicsAreNotRequestTopics() {
    assertThatThrownBy(() -> Principals.ofRequest(Topics.TRAINING, "jwt:a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("daflow.training is not a training requests topic");
    assertThat(Topics.requestsUser(Topics.TRAINING_REQUESTS)).isEmpty();
    assertThat(Topics.requestsUser("daflow.training.requestsX")).isEmpty();
    assertThat(Topics.requestsUser("daflow.training.requests.a.b")).contains("a.b");
    assertThat(Topics.TRAINING_REQUESTS_PATTERN.matcher("daflow.training.requests").matches())
        .isTrue();
    assertThat(Topics.TRAINING_REQUESTS_PATTERN.matcher("daflow.training.requests.u-1").matches())
        .isTrue();
    assertThat(Topics.TRAINING_REQUESTS_PATTERN.matcher("daflow.training").matches()).isFalse();
    assertThat(Topics.TRAINING_REQUESTS_PATTERN.matcher("daflow.models").matches()).isFalse();
  }

  @Test
  void aClientPicksItsTopicFromItsSaslUser() {
    assertThat(Topics.trainingRequestsFor(null)).isEqualTo(Topics.TRAINING_REQUESTS);
    assertThat(Topics.trainingRequestsFor("bob")).isEqualTo("daflow.training.requests.bob");
    assertThatThrownBy(() -> Topics.trainingRequestsFor("bob@example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bob@example.org' cannot name a requests topic");
  }

  @Test
  void namesAreSpelledOneWay() {
    assertThat(Principals.jwt("alice")).isEqualTo("jwt:alice");
    assertThat(Principals.kafka("bob")).isEqualTo("kafka:bob");
    assertThat(Principals.kafkaUser("kafka:bob")).contains("bob");
    assertThat(Principals.kafkaUser("jwt:bob")).isEmpty();
    assertThat(Principals.shown(null)).isEqualTo("unknown");
    assertThat(Principals.shown("jwt:alice")).isEqualTo("jwt:alice");
    assertThatThrownBy(() -> Principals.jwt(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
