package dev.daflow.deploy.k8s;

import java.util.Set;

/**
 * What a manifest set may reference without containing it.
 *
 * @param secrets Secrets created out of band (the credentials of the external overlay)
 * @param hosts in-namespace host names served by another kustomization (base leaves Kafka and
 *     MinIO to an overlay)
 */
public record Externals(Set<String> secrets, Set<String> hosts) {

  /** Nothing outside: the set is complete. */
  public static final Externals NONE = new Externals(Set.of(), Set.of());

  /** Copies the sets. */
  public Externals {
    secrets = Set.copyOf(secrets);
    hosts = Set.copyOf(hosts);
  }
}
