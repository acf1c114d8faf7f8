package dev.daflow.service.common.rest;

import dev.daflow.events.Principals;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Who made an HTTP request, as events, records and model cards name it ({@link Principals}:
 * {@code jwt:<name>}, the verified bearer token's user). The one place a resource turns its
 * {@code SecurityContext} into a principal.
 */
public final class Callers {
  private Callers() {}

  /**
   * The principal of the request's authenticated user.
   *
   * @throws IllegalStateException if the request carries no authenticated user (an endpoint
   *     without a role annotation is refused before this is reached)
   */
  public static String principal(SecurityContext security) {
    Principal user = security == null ? null : security.getUserPrincipal();
    if (user == null || user.getName() == null || user.getName().isBlank()) {
      throw new IllegalStateException("the request has no authenticated user");
    }
    return Principals.jwt(user.getName());
  }
}
