package dev.daflow.service.common.security;

import dev.daflow.contract.Roles;
import dev.daflow.service.common.config.CommonConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code daflow.auth.public-inference}: when on, every caller, anonymous ones included, holds the
 * {@value Roles#INFERENCE} role, so the endpoints that require it are public (inference-service
 * also lets requests to {@code /v2/*} through without a token then). Off by default: nothing is
 * added.
 */
@ApplicationScoped
public class PublicInference implements SecurityIdentityAugmentor {
  private final boolean enabled;

  public PublicInference(CommonConfig config) {
    this.enabled = config.auth().publicInference();
  }

  @Override
  public Uni<SecurityIdentity> augment(SecurityIdentity identity,
      AuthenticationRequestContext context) {
    if (!enabled || identity.hasRole(Roles.INFERENCE)) {
      return Uni.createFrom().item(identity);
    }
    return Uni.createFrom().item(
        QuarkusSecurityIdentity.builder(identity).addRole(Roles.INFERENCE).build());
  }
}
