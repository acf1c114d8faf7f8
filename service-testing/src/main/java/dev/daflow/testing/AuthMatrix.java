package dev.daflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.daflow.contract.Roles;
import dev.daflow.local.LocalAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The authorisation matrix of a running service, generated from its own OpenAPI document ({@code
 * GET /q/openapi}): for every operation, a request
 * <ul>
 *   <li>without a token is refused with 401, and so is one with a token signed by another key;
 *   <li>with a token holding every role but the operation's is refused with 403;
 *   <li>with a token holding only one of the operation's roles is neither 401 nor 403;
 * </ul>
 * and the roles the document declares for it ({@code security}, from its {@code @RolesAllowed})
 * are the expected ones. The expected roles are the platform's rule ({@link Roles}): every {@code
 * GET} needs {@value Roles#VIEWER}, unless {@code expected} says otherwise; every other method
 * must be listed in {@code expected}, so a new operation nobody gave a role fails here, loudly,
 * as it is refused to every caller at run time (default deny). Requests carry dummy path values
 * and an empty body: an authorised one is answered 400, 404 or the like, and changes nothing.
 */
public final class AuthMatrix {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private AuthMatrix() {}

  /**
   * Checks every operation of the service at {@code base}.
   *
   * @param expected the roles of each operation that is not a plain {@code GET} for viewers, keyed
   *     {@code "POST /jobs/{id}/cancel"} (the document's path template)
   * @return the operations checked, e.g. {@code "GET /jobs"}, for the caller to assert on
   * @throws AssertionError listing every operation that breaks the matrix
   */
  public static List<String> check(URI base, Map<String, List<String>> expected)
      throws IOException, InterruptedException {
    HttpResponse<String> doc = send(base, "GET", "/q/openapi?format=json", null,
        TestTokens.allRoles());
    if (doc.statusCode() != 200) {
      throw new AssertionError("GET /q/openapi with a token: " + doc.statusCode());
    }
    int anonymousDoc = send(base, "GET", "/q/openapi?format=json", null, null).statusCode();
    List<String> problems = new ArrayList<>();
    if (anonymousDoc != 401) {
      problems.add("GET /q/openapi without a token: " + anonymousDoc + ", not 401");
    }
    String forged = forgedToken();
    List<String> checked = new ArrayList<>();
    Set<String> unused = new TreeSet<>(expected.keySet());
    JsonNode paths = JSON.readTree(doc.body()).path("paths");
    for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
        Map.Entry<String, JsonNode> op = o.next();
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        String method = op.getKey().toUpperCase(Locale.ROOT);
        String name = method + " " + path.getKey();
        unused.remove(name);
        List<String> roles = expected.get(name);
        if (roles == null && !method.equals("GET")) {
          problems.add(name + ": no expected role; give it one (@RolesAllowed) and list it here");
          continue;
        }
        if (roles == null) {
          roles = List.of(Roles.VIEWER);
        }
        checked.add(name);
        String target = concrete(path.getKey());
        String contentType = contentType(op.getValue());
        Set<String> declared = declaredRoles(op.getValue());
        if (!declared.equals(new TreeSet<>(roles))) {
          problems.add(name + ": the document declares roles " + declared + ", expected " + roles);
        }
        expect(problems, name, "without a token", 401,
            send(base, method, target, contentType, null).statusCode());
        expect(problems, name, "with a token of another issuer's key", 401,
            send(base, method, target, contentType, forged).statusCode());
        expect(problems, name, "without " + roles, 403,
            send(base, method, target, contentType, TestTokens.allRolesBut(roles))
                .statusCode());
        for (String role : roles) {
          int status = send(base, method, target, contentType, TestTokens.token(role))
              .statusCode();
          if (status == 401 || status == 403) {
            problems.add(name + " with role " + role + ": " + status);
          }
        }
      }
    }
    if (!unused.isEmpty()) {
      problems.add("expected roles of operations the document does not have: " + unused);
    }
    if (checked.isEmpty()) {
      problems.add("the document has no operation");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("authorisation matrix of " + base + ":\n  "
          + String.join("\n  ", problems));
    }
    return checked;
  }

  private static void expect(List<String> problems, String name, String how, int expected,
      int status) {
    if (status != expected) {
      problems.add(name + " " + how + ": " + status + ", expected " + expected);
    }
  }

  /** The roles of the operation's {@code security} requirements (their scopes). */
  private static Set<String> declaredRoles(JsonNode operation) {
    Set<String> roles = new TreeSet<>();
    for (JsonNode requirement : operation.path("security")) {
      requirement.fields().forEachRemaining(e -> e.getValue().forEach(r -> roles.add(r.asText())));
    }
    return roles;
  }

  private static String contentType(JsonNode operation) {
    Iterator<String> types = operation.path("requestBody").path("content").fieldNames();
    return types.hasNext() ? types.next() : null;
  }

  /** The path with each {@code {param}} replaced by a harmless value ({@code 1} for versions). */
  private static String concrete(String template) {
    return template.replaceAll("\\{(version|v)}", "1").replaceAll("\\{[^}]+}", "auth-matrix");
  }

  /** A well-formed token with every role, signed by a key the service does not know. */
  private static String forgedToken() throws IOException {
    Path dir = Files.createTempDirectory("daflow-forged-jwt-");
    try {
      return LocalAuth.create(dir).token("intruder", Roles.ALL, Duration.ofHours(1));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  private static HttpResponse<String> send(URI base, String method, String path,
      String contentType, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
        base.toString().replaceAll("/$", "") + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, HttpRequest.BodyPublishers.noBody());
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
