package dev.daflow.contract;

import java.util.List;

/**
 * The roles of the platform's HTTP APIs, defined once for the services' {@code @RolesAllowed},
 * the local stack's token and the tests. A bearer token (JWT) carries its roles in its {@code
 * groups} claim (MicroProfile JWT). The roles are independent: {@link #ADMIN} does not imply the
 * others, so a token holds each role its bearer needs (the local user's token holds all four).
 *
 * <table>
 *   <caption>What each role may do</caption>
 *   <tr><th>role</th><th>may</th></tr>
 *   <tr><td>{@value #VIEWER}</td><td>read: every {@code GET} of data-, trainer- and
 *       evaluator-service, and inference-service's metadata and readiness</td></tr>
 *   <tr><td>{@value #TRAINER}</td><td>ingest datasets, request and cancel training jobs</td></tr>
 *   <tr><td>{@value #ADMIN}</td><td>delete datasets; promote (or roll back to) a model version
 *       by hand</td></tr>
 *   <tr><td>{@value #INFERENCE}</td><td>infer and classify (and read inference-service's
 *       metadata); every caller holds it when {@code daflow.auth.public-inference} is on</td></tr>
 * </table>
 */
public final class Roles {
  /** Reads. */
  public static final String VIEWER = "viewer";
  /** Ingests datasets, requests and cancels training. */
  public static final String TRAINER = "trainer";
  /** Deletes datasets, promotes or rolls back model versions by hand. */
  public static final String ADMIN = "admin";
  /** Infers and classifies. */
  public static final String INFERENCE = "inference";

  /** Every role, e.g. for the local user's token. */
  public static final List<String> ALL = List.of(VIEWER, TRAINER, ADMIN, INFERENCE);

  private Roles() {}
}
