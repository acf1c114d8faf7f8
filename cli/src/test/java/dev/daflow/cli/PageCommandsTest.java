package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daflow report} and {@code daflow datasets preview} against a loopback server. */
class PageCommandsTest {
  private static final String REPORT = "<!DOCTYPE html><h1>digits version 2</h1>";
  private static final String PREVIEW = "<!DOCTYPE html><h1>Dataset usps</h1>";

  @TempDir
  Path dir;
  private final AtomicInteger laterAsked = new AtomicInteger();
  private HttpServer server;
  private String url;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, String> pages = Map.of(
        "/models/digits", "{\"name\":\"digits\",\"currentVersion\":2}",
        "/models/fresh", "{\"name\":\"fresh\",\"currentVersion\":null}",
        "/models/digits/versions/2/report", REPORT,
        "/models/digits/versions/1/report", REPORT.replace('2', '1'),
        "/datasets/usps/preview", PREVIEW);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      // A report made in the background: missing for the first two requests.
      String body = path.equals("/models/later/versions/1/report")
          ? (laterAsked.incrementAndGet() > 2 ? REPORT : null) : pages.get(path);
      int status = body == null ? 404 : 200;
      if (body == null) {
        body = "{\"error\":\"report not found\",\"detail\":\"no such thing\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void reportSavesTheServingVersionOrTheOneAskedFor() throws IOException {
    Path serving = dir.resolve("out/serving.html");
    CliRun run = CliRun.of("report", "digits", "--evaluator-url", url, "-o", serving.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(serving)).isEqualTo(REPORT);
    assertThat(run.out()).contains("saved " + serving, "bytes");

    Path first = dir.resolve("v1.html");
    CliRun one = CliRun.of("report", "digits", "--version", "1", "--evaluator-url", url, "-o",
        first.toString());
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(Files.readString(first)).contains("version 1");

    CliRun missing = CliRun.of("report", "digits", "--version", "7", "--evaluator-url", url);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no report of digits version 7", "report not found");
    CliRun none = CliRun.of("report", "fresh", "--evaluator-url", url);
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("model fresh has no promoted version yet");
    CliRun unknown = CliRun.of("report", "nope", "--evaluator-url", url);
    assertThat(unknown.err()).contains("evaluator-service knows no model nope");
    assertThat(CliRun.of("report", "digits", "--version", "0", "--evaluator-url", url).err())
        .contains("--version must be 1 or more");
  }

  @Test
  void datasetsPreviewSavesThePage() throws IOException {
    Path file = dir.resolve("usps.html");
    CliRun run = CliRun.of("datasets", "preview", "usps", "--data-url", url, "-o",
        file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(file)).isEqualTo(PREVIEW);
    assertThat(run.out()).contains("saved " + file);
    CliRun missing = CliRun.of("datasets", "preview", "mnist", "--data-url", url);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("data-service has no dataset mnist");
    assertThat(CliRun.of("--help").out()).contains("report", "datasets");
  }

  @Test
  void awaitWaitsForAPageMadeInTheBackgroundAndSaysWhenItNeverCame() throws Exception {
    ServiceClient evaluator = new ServiceClient("evaluator-service", URI.create(url + "/"),
        Duration.ofSeconds(10), null);
    Path file = dir.resolve("later.html");
    assertThat(Pages.await(evaluator, "models/later/versions/1/report", file,
        Duration.ofSeconds(30))).isEqualTo(file);
    assertThat(Files.readString(file)).isEqualTo(REPORT);
    assertThat(laterAsked).hasValue(3);
    assertThatThrownBy(() -> Pages.await(evaluator, "models/never/versions/1/report",
        dir.resolve("never.html"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("models/never/versions/1/report still missing after PT1S")
        .hasMessageContaining("report not found");
    assertThat(dir.resolve("never.html")).doesNotExist();
  }
}
