package dev.daflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small HTTP client for the services' JSON APIs. Every request carries the bearer token of the
 * platform under test ({@link #token}, the local stack's user's, set by {@link Platform}) unless
 * it is sent {@link #withoutToken}.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The bearer token sent with every request; null for none. */
  static volatile String token;
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status and body (JSON when it parses, else null). */
  record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Http() {}

  static Reply get(URI uri) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  /** {@code method} on {@code uri} with no {@code Authorization} header and an empty body. */
  static Reply withoutToken(String method, URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  static Reply delete(URI uri) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).DELETE());
  }

  static Reply post(URI uri, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static Reply postJson(URI uri, Object body) throws IOException, InterruptedException {
    return post(uri, "application/json", JSON.writeValueAsBytes(body));
  }

  private static Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    String t = token;
    if (t != null) {
      b.header("Authorization", "Bearer " + t);
    }
    HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }
}
