package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wrk as the benchmarks' client: its result line read in the units the report uses ({@link
 * Wrk#parse}), and a real run against a loopback server ({@code .ci/run} installs wrk).
 */
class WrkTest {
  private static final URI URI_ = URI.create("http://127.0.0.1:1/v2/models/bench/infer");

  @Test
  void readsRequestsDurationAndPercentiles() {
    Wrk.Turn t = Wrk.parse("Running 3s test @ ...\n  1 threads and 2 connections\n"
        + "daflow-wrk 312 3001250 10630.0 43860.5 0 0\n", URI_);
    assertThat(t.requests()).isEqualTo(312);
    assertThat(t.seconds()).isEqualTo(3.00125);
    assertThat(t.p50()).isEqualTo(10.63);
    assertThat(t.p99()).isEqualTo(43.8605);
  }

  @Test
  void failedRequestsOrAMissingLineAreErrorsThatSayWhat() {
    assertThatThrownBy(() -> Wrk.parse("daflow-wrk 300 3000000 1.0 2.0 0 7\n", URI_))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("7 answers not 2xx/3xx");
    assertThatThrownBy(() -> Wrk.parse("daflow-wrk 300 3000000 1.0 2.0 2 0\n", URI_))
        .hasMessageContaining("2 socket errors");
    assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1\n", URI_))
        .hasMessageContaining("wrk printed no result");
  }

  @Test
  void sendsTheBodyAndEveryHeaderItIsGiven(@TempDir Path dir) throws Exception {
    byte[] body = {'{', '}', 0, (byte) 0xff, 7}; // JSON then binary bytes, as the extension sends
    Path file = Files.write(dir.resolve("body.bin"), body);
    Map<String, String> seen = new ConcurrentHashMap<>();
    AtomicLong answered = new AtomicLong();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/infer", exchange -> {
      byte[] got = exchange.getRequestBody().readAllBytes();
      seen.put("body", java.util.Arrays.toString(got));
      exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v.get(0)));
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes());
      exchange.close();
      answered.incrementAndGet();
    });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/infer");
      Wrk.Turn t = new Wrk(dir.resolve("wrk")).run(uri, "application/octet-stream", file,
          "Bearer t0k3n", Map.of("Inference-Header-Content-Length", "2", "X-Other", "a: b"), 1,
          Duration.ofSeconds(1));
      assertThat(t.requests()).isPositive().isLessThanOrEqualTo(answered.get());
      assertThat(seen).containsEntry("body", java.util.Arrays.toString(body))
          .containsEntry("content-type", "application/octet-stream")
          .containsEntry("authorization", "Bearer t0k3n")
          .containsEntry("inference-header-content-length", "2")
          .containsEntry("x-other", "a: b");
    } finally {
      server.stop(0);
    }
  }
}
