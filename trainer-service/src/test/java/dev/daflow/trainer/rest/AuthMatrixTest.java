package dev.daflow.trainer.rest;

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
 * Every operation of trainer-service's OpenAPI document: 401 without a token, 403 without its
 * role, neither with it ({@link AuthMatrix}). No Kafka or store: an authorised request is
 * answered with an error (an empty body is a 400) and starts nothing.
 */
@QuarkusTest
class AuthMatrixTest {
  @TestHTTPResource("/")
  URI base;

  @Test
  void everyOperationNeedsItsRole() throws Exception {
    List<String> checked = AuthMatrix.check(base, Map.of(
        "POST /jobs", List.of(Roles.TRAINER),
        "POST /jobs/{id}/cancel", List.of(Roles.TRAINER)));
    assertThat(checked).contains("GET /jobs", "GET /jobs/{id}", "POST /jobs",
        "POST /jobs/{id}/cancel");
  }
}
