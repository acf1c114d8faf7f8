package dev.daflow.inference.rest;

import static io.restassured.RestAssured.given;

import dev.daflow.contract.Roles;
import dev.daflow.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code daflow.auth.public-inference=true}: inference ({@code /v2/*}) answers callers without a
 * token; everything else still needs one.
 */
@QuarkusTest
@TestProfile(PublicInferenceTest.Public.class)
class PublicInferenceTest {

  /** The setting on. */
  public static class Public implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("daflow.auth.public-inference", "true");
    }
  }

  @BeforeEach
  void anonymous() {
    RestAssured.requestSpecification = null;
  }

  @Test
  void inferenceNeedsNoToken() {
    given().get("/v2").then().statusCode(200);
    // No model is served: a classification of an unknown model is a 404, not a refusal.
    given().contentType("image/png").body(new byte[] {1, 2, 3})
        .post("/v2/models/nothing/classify").then().statusCode(404);
    given().contentType("application/json").body("{}")
        .post("/v2/models/nothing/infer").then().statusCode(404);
    // A token without the role is no obstacle either: every caller holds it.
    given().auth().oauth2(TestTokens.token(Roles.VIEWER)).contentType("application/json")
        .body("{}").post("/v2/models/nothing/infer").then().statusCode(404);
  }

  @Test
  void theRestStillNeedsAToken() {
    given().get("/q/openapi").then().statusCode(401);
    given().auth().oauth2("not-a-jwt").get("/v2").then().statusCode(401);
  }
}
