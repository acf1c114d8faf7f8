package dev.daflow.service.common.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import org.junit.jupiter.api.Test;

class CallersTest {

  private static SecurityContext of(Principal user) {
    return new SecurityContext() {
      @Override
      public Principal getUserPrincipal() {
        return user;
      }

      @Override
      public boolean isUserInRole(String role) {
        return false;
      }

      @Override
      public boolean isSecure() {
        return true;
      }

      @Override
      public String getAuthenticationScheme() {
        return "Bearer";
      }
    };
  }

  @Test
  void theTokensUserIsAJwtPrincipal() {
    assertThat(Callers.principal(of(() -> "alice"))).isEqualTo("jwt:alice");
  }

  @Test
  void aRequestWithoutUserNamesNobody() {
    assertThatThrownBy(() -> Callers.principal(of(null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the request has no authenticated user");
    assertThatThrownBy(() -> Callers.principal(of(() -> " ")))
        .isInstanceOf(IllegalStateException.class);
  }
}
