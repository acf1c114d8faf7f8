package dev.daflow.service.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.daflow.events.EventCodec;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.config.CommonConfig;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageConfig;
import dev.daflow.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared plumbing in a Quarkus application: the common settings beside a second mapping under
 * the same prefix, the producers, the readiness checks with neither Kafka nor the store there
 * (with an event handler whose managed consumer cannot start), and the error envelope of each
 * mapped failure.
 */
@QuarkusTest
class ServiceCommonTest {

  @Inject
  CommonConfig common;

  @Inject
  OwnConfig own;

  @Inject
  KafkaSettings kafka;

  @Inject
  EventCodec codec;

  @Inject
  ObjectStore store;

  @Inject
  Backoff backoff;

  @BeforeEach
  void authorize() {
    TestTokens.authorizeRestAssured();
  }

  @Test
  void bothMappingsUnderDaflowAreRead() {
    assertThat(common.serviceName()).isEqualTo("common-test");
    assertThat(common.kafka().replication()).isEqualTo((short) 1);
    assertThat(common.storage().toStorageConfig().buckets())
        .isEqualTo(StorageConfig.Buckets.DEFAULT);
    assertThat(own.own().greeting()).isEqualTo("hello");
    assertThat(backoff).isEqualTo(Backoff.DEFAULT.withFirst(Duration.ofMillis(250)));
  }

  @Test
  void producersFollowTheSettings() {
    assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:1");
    assertThat(kafka.clientId()).isEqualTo("common-test");
    assertThat(codec.source()).isEqualTo(URI.create("/daflow/common-test"));
    assertThat(store.config().endpoint()).isEqualTo(URI.create("http://127.0.0.1:1"));
  }

  @Test
  void notReadyWithoutKafkaAndTheStoreAndSaysWhy() throws InterruptedException {
    // The handler's consumer is set up in the background: readiness names why it does not start.
    String expected = "not consuming test.topic as test-group yet: cannot create the topics: "
        + "Kafka at 127.0.0.1:1 does not answer";
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!String.valueOf(given().get("/q/health/ready").jsonPath()
        .getString("checks.find { it.name == 'kafka' }.data.consumer")).startsWith(expected)) {
      assertThat(System.nanoTime()).as("readiness names the set-up problem within 30 s")
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    given().get("/q/health/ready").then().statusCode(503)
        .body("status", is("DOWN"))
        .body("checks.find { it.name == 'kafka' }.status", is("DOWN"))
        .body("checks.find { it.name == 'kafka' }.data.broker", containsString("does not answer"))
        .body("checks.find { it.name == 'kafka' }.data.consumer", startsWith(expected))
        .body("checks.find { it.name == 'object-store' }.status", is("DOWN"))
        .body("checks.find { it.name == 'object-store' }.data.endpoint",
            is("http://127.0.0.1:1"))
        .body("checks.find { it.name == 'object-store' }.data.problem", containsString("127.0.0.1"));
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void failuresGetTheirStatusAndTheEnvelope() {
    expect("invalid", 400, "invalid request", "name must not be empty");
    expect("store-down", 503, "object store unavailable", "127.0.0.1:1");
    expect("store", 502, "object store error", "the store said no");
    expect("io", 500, "I/O error", "disk full");
    expect("unchecked-io", 500, "I/O error", "pipe broken");
    expect("bug", 500, "internal error", "IllegalStateException: a bug");
    given().get("/fail/none").then().statusCode(200);
  }

  @Test
  void httpRefusalsAreJsonToo() {
    given().get("/no-such-path").then().statusCode(404).contentType(ContentType.JSON)
        .body("error", containsString("404")).body("detail", nullValue());
    given().contentType(ContentType.JSON).body("{not json").post("/fail").then()
        .statusCode(400).contentType(ContentType.JSON).body("error", containsString("400"));
    given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/fail").then()
        .statusCode(200).body("name", is("x"));
  }

  private static void expect(String kind, int status, String error, String detail) {
    given().get("/fail/" + kind).then().statusCode(status).contentType(ContentType.JSON)
        .body("error", is(error)).body("detail", containsString(detail))
        .body("problems", nullValue());
  }
}
