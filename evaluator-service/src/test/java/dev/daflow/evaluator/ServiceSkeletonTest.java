package dev.daflow.evaluator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.daflow.evaluator.config.EvaluatorConfig;
import dev.daflow.service.common.config.CommonConfig;
import dev.daflow.storage.StorageConfig;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The skeleton starts: liveness, Prometheus metrics and the configuration mapping. */
@QuarkusTest
class ServiceSkeletonTest {

  @Inject
  EvaluatorConfig config;

  @Inject
  CommonConfig common;

  @Test
  void liveness() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void prometheusMetricsHaveJvmMeters() {
    String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(body).contains("jvm_");
  }

  @Test
  void configurationMapsToStorageConfig() {
    assertThat(common.serviceName()).isEqualTo("evaluator-service");
    assertThat(common.kafka().bootstrapServers()).isNotBlank();
    StorageConfig storage = common.storage().toStorageConfig();
    assertThat(storage.buckets()).isEqualTo(StorageConfig.Buckets.DEFAULT);
    assertThat(storage.region()).isEqualTo(StorageConfig.DEFAULT_REGION);
    assertThat(common.kafka().replication()).isEqualTo((short) 1);
    assertThat(config.evaluator().promotionPolicy()).isEqualTo("source-val-accuracy");
    assertThat(config.evaluator().validatorPictures()).isEqualTo(300); // %test profile
    assertThat(config.evaluator().testLimit()).isEqualTo(250); // %test profile
  }
}
