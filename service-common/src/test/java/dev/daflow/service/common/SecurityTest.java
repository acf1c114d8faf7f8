package dev.daflow.service.common;

import static io.restassured.RestAssured.given;

import dev.daflow.contract.Roles;
import dev.daflow.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared security settings in an application: bearer tokens on everything but the probes and
 * the metrics, roles per endpoint, and default deny for an endpoint without a role annotation.
 */
@QuarkusTest
class SecurityTest {

  @BeforeEach
  void anonymous() {
    RestAssured.requestSpecification = null;
  }

  @Test
  void probesAndMetricsNeedNoToken() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(503);
    given().get("/q/health").then().statusCode(503);
    given().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void everythingElseNeedsAValidToken() {
    given().get("/fail/none").then().statusCode(401);
    given().get("/q/openapi").then().statusCode(401);
    given().get("/no-such-path").then().statusCode(401);
    given().auth().oauth2("not-a-jwt").get("/fail/none").then().statusCode(401);
    given().auth().oauth2(TestTokens.token(Roles.VIEWER)).get("/fail/none").then()
        .statusCode(200);
  }

  @Test
  void aTokenWithoutTheRoleIsForbidden() {
    given().auth().oauth2(TestTokens.token(Roles.TRAINER, Roles.ADMIN, Roles.INFERENCE))
        .get("/fail/none").then().statusCode(403);
    given().auth().oauth2(TestTokens.token()).get("/fail/none").then().statusCode(403);
  }

  @Test
  void anEndpointWithoutARoleIsRefusedToEveryone() {
    given().get("/unannotated").then().statusCode(401);
    given().auth().oauth2(TestTokens.allRoles()).get("/unannotated").then().statusCode(403);
  }
}
