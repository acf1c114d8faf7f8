package dev.daflow.testing;

import dev.daflow.contract.Roles;
import dev.daflow.local.LocalAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Bearer tokens for the services' tests: a key pair made once per test JVM, at test time, in a
 * temporary folder ({@link LocalAuth}; no key is ever in git), whose public key and issuer every
 * {@code @QuarkusTest} of a module with this one on its test class path verifies tokens with
 * ({@link TestJwtConfigSource}).
 *
 * <pre>
 * given().auth().oauth2(TestTokens.token(Roles.VIEWER)).get("/jobs")...
 * &#64;BeforeAll static void authorize() { TestTokens.authorizeRestAssured(); } // every role
 * </pre>
 *
 * <p>The folder is found through a system property, so that the Quarkus class loaders (the
 * configuration's and the test's) share one key pair.
 */
public final class TestTokens {
  /** The system property with the key pair's folder. */
  static final String DIR_PROPERTY = "daflow-test-jwt-dir";

  private TestTokens() {}

  /** A token holding {@code roles} (none: authenticated, with no role), valid for an hour. */
  public static String token(String... roles) {
    return issuer().token("test-user", List.of(roles), Duration.ofHours(1));
  }

  /** A token holding every role ({@link Roles#ALL}). */
  public static String allRoles() {
    return token(Roles.ALL.toArray(String[]::new));
  }

  /** A token holding every role but {@code roles}. */
  public static String allRolesBut(List<String> roles) {
    return token(Roles.ALL.stream().filter(r -> !roles.contains(r)).toArray(String[]::new));
  }

  /**
   * Makes RestAssured send a token with every role on each request of this test class (its
   * default request specification); a test that needs another token sets its own header.
   */
  public static void authorizeRestAssured() {
    io.restassured.RestAssured.requestSpecification = new io.restassured.builder
        .RequestSpecBuilder().addHeader("Authorization", "Bearer " + allRoles()).build();
  }

  /** {@code Authorization} header value with every role, for other HTTP clients. */
  public static String allRolesHeader() {
    return "Bearer " + allRoles();
  }

  /** The settings that make a service verify these tokens. */
  public static Map<String, String> verification() {
    return Map.of("mp.jwt.verify.issuer", LocalAuth.ISSUER,
        "mp.jwt.verify.publickey.location", keyDir().resolve("public-key.pem").toString());
  }

  private static LocalAuth issuer() {
    return LocalAuth.load(keyDir());
  }

  private static Path keyDir() {
    // System properties are one per JVM whatever the class loader: the lock and the folder too.
    synchronized (System.getProperties()) {
      String dir = System.getProperty(DIR_PROPERTY);
      if (dir == null) {
        try {
          Path created = Files.createTempDirectory("daflow-test-jwt-");
          LocalAuth.create(created);
          created.toFile().deleteOnExit();
          dir = created.toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        System.setProperty(DIR_PROPERTY, dir);
      }
      return Path.of(dir);
    }
  }
}
