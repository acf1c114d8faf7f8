package dev.daflow.inference.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Roles;
import dev.daflow.testing.AuthMatrix;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every operation of inference-service's OpenAPI document: 401 without a token, 403 without its
 * role, neither with it ({@link AuthMatrix}). Reads need {@value Roles#VIEWER} or {@value
 * Roles#INFERENCE}, inference {@value Roles#INFERENCE}. No model is served: an authorised request
 * is answered 404 or 400.
 */
@QuarkusTest
class AuthMatrixTest {
  private static final List<String> READ = List.of(Roles.VIEWER, Roles.INFERENCE);

  @TestHTTPResource("/")
  URI base;

  @Test
  void everyOperationNeedsItsRole() throws Exception {
    List<String> checked = AuthMatrix.check(base, Map.of(
        "GET /v2", READ,
        "GET /v2/health/live", READ,
        "GET /v2/health/ready", READ,
        "GET /v2/models/{name}", READ,
        "GET /v2/models/{name}/versions/{version}", READ,
        "GET /v2/models/{name}/ready", READ,
        "GET /v2/models/{name}/versions/{version}/ready", READ,
        "POST /v2/models/{name}/infer", List.of(Roles.INFERENCE),
        "POST /v2/models/{name}/versions/{version}/infer", List.of(Roles.INFERENCE),
        "POST /v2/models/{name}/classify", List.of(Roles.INFERENCE)));
    assertThat(checked).hasSize(10);
  }
}
