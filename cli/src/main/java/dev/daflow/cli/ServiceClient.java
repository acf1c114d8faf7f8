package dev.daflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.daflow.local.LocalAuth;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small HTTP client for one service's JSON API. A service that cannot be reached is an {@link
 * IOException} naming it and its URL; {@link #require} turns an unexpected status into an {@link
 * IllegalStateException} with the service's own {@code {"error", "detail"}} message.
 */
final class ServiceClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final String service;
  private final URI base;
  private final Duration timeout;
  private final String token;

  /**
   * @param service its name for messages, e.g. {@code trainer-service}
   * @param base its base URL
   * @param timeout how long one request may take
   * @param token the bearer token sent with every request ({@code Authorization: Bearer}), or
   *     null for none
   */
  ServiceClient(String service, URI base, Duration timeout, String token) {
    this.service = service;
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.timeout = timeout;
    this.token = token;
  }

  /**
   * A response.
   *
   * @param method and {@code path}: the request, for messages
   */
  record Reply(String service, String method, String path, int status, String body) {
    /** The body as JSON. */
    JsonNode json() throws IOException {
      return JSON.readTree(body.isEmpty() ? "null" : body);
    }

    /** The service's error message: {@code error: detail} from its JSON, else the raw body. */
    String errorMessage() {
      try {
        JsonNode n = json();
        if (n != null && n.hasNonNull("error")) {
          String detail = n.path("detail").asText("");
          return n.get("error").asText() + (detail.isBlank() ? "" : ": " + detail);
        }
      } catch (IOException e) {
        // Not JSON: the raw body below.
      }
      String b = body.strip();
      return b.isEmpty() ? "(no body)" : b.length() > 500 ? b.substring(0, 500) + "..." : b;
    }
  }

  /** The base URL. */
  URI base() {
    return base;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send("GET", path, HttpRequest.newBuilder(resolve(path)).GET());
  }

  Reply post(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send("POST", path, HttpRequest.newBuilder(resolve(path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /**
   * {@code reply} when its status is one of {@code expected}.
   *
   * @throws IllegalStateException naming the request, the status and the service's message
   */
  static Reply require(Reply reply, int... expected) {
    for (int s : expected) {
      if (reply.status() == s) {
        return reply;
      }
    }
    throw new IllegalStateException(reply.service() + " answered " + reply.status() + " to "
        + reply.method() + " /" + reply.path() + ": " + reply.errorMessage());
  }

  /** One path segment, percent-encoded (job ids and model names are safe already). */
  static String segment(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (c > 0 && Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  /**
   * @throws IllegalStateException for a 401 (no token, or one the service does not accept) or a
   *     403 (the token lacks the role), saying what to do
   */
  static void refused(Reply reply, boolean sentToken) {
    String request = reply.service() + " answered " + reply.status() + " to " + reply.method()
        + " /" + reply.path();
    if (reply.status() == 401) {
      throw new IllegalStateException("the platform refused the token: " + request + (sentToken
          ? " (the token is not valid there: expired, or from another issuer or stack run;"
              + " 'daflow stack' writes a new one to stack.env at each start)"
          : " (no token: set " + LocalAuth.ENV_TOKEN + " or start the platform with 'daflow"
              + " stack', which writes the local user's to stack.env)"));
    }
    if (reply.status() == 403) {
      throw new IllegalStateException("the platform refused the token: " + request
          + " (the token lacks the role this needs: viewer reads, trainer ingests, trains and"
          + " cancels, admin deletes and promotes, inference classifies)");
    }
  }

  private URI resolve(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /**
   * The {@code Authorization} header's value this client sends ({@code Bearer <token>}), or null
   * without a token: for callers that make their own connections (the platform benchmark).
   */
  String authorization() {
    return token == null ? null : "Bearer " + token;
  }

  private Reply send(String method, String path, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = CLIENT.send(request.timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      Reply reply = new Reply(service, method, p, r.statusCode(), r.body());
      refused(reply, token != null);
      return reply;
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new IOException("cannot reach " + service + " at " + base + " (" + e.getClass()
          .getSimpleName() + "); is the platform running? ('daflow stack' starts it)", e);
    } catch (HttpTimeoutException e) {
      throw new IOException(service + " did not answer " + method + " /" + p + " within "
          + timeout.toSeconds() + " s", e);
    }
  }
}
