package dev.daflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the services' JSON APIs. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
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

  static Reply post(URI uri, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static Reply postJson(URI uri, Object body) throws IOException, InterruptedException {
    return post(uri, "application/json", JSON.writeValueAsBytes(body));
  }

  private static Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }
}
