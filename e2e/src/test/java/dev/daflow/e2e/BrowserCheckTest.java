package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BrowserCheck} itself, on pages served from loopback: a page whose figures are drawn
 * passes; a console error, an image that does not decode, a figure drawn at another size and a
 * blank figure each fail it.
 */
class BrowserCheckTest {
  /** A 2x2 PNG of two colours. */
  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEUlEQVR4nG"
      + "P4zwAEIOI/kAAAG/ID/VxhF44AAAAASUVORK5CYII=";
  private static final String SVG = "<svg class=\"figure\" xmlns=\"http://www.w3.org/2000/svg\" "
      + "width=\"100\" height=\"80\" data-width=\"100\" data-height=\"80\" aria-label=\"chart\">"
      + "<rect width=\"50\" height=\"40\" fill=\"#d62728\"/></svg>";
  private static final String IMG = "<img class=\"figure\" alt=\"pic\" width=\"56\" height=\"56\" "
      + "data-width=\"56\" data-height=\"56\" src=\"data:image/png;base64," + PNG + "\">";

  private static HttpServer server;
  private static final Map<String, String> PAGES = Map.of(
      "/good", page(SVG + IMG),
      "/console-error", page(SVG + "<script>console.error('boom')</script>"),
      "/broken-image", page(SVG + IMG.replace(PNG, "bm90IGEgcGljdHVyZQ==")),
      "/wrong-size", page(SVG.replace(" width=\"100\"", " width=\"120\"")),
      "/blank", page(SVG.replace("fill=\"#d62728\"", "fill=\"#ffffff\"")));

  @TempDir
  Path dir;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = PAGES.get(exchange.getRequestURI().getPath());
      byte[] bytes = (body == null ? "no" : body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static String page(String body) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title><link rel=\"icon\" "
        + "href=\"data:,\"></head><body style=\"background:#fff\">" + body + "</body></html>";
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void passesADrawnPageAndFailsEachKindOfBrokenOne() throws IOException {
    try (BrowserCheck browser = new BrowserCheck()) {
      BrowserCheck.Result good = browser.check(url("/good"), 2, 1, dir.resolve("good.png"));
      assertThat(good.figures()).isEqualTo(2);
      assertThat(good.loadMillis()).isNotNegative();
      assertThat(Files.size(good.screenshot())).isPositive();
      assertThat(BrowserCheck.colours(Files.readAllBytes(good.screenshot()))).isEqualTo(2);

      assertThatThrownBy(() -> browser.check(url("/console-error"), 1, 1, dir.resolve("a.png")))
          .hasMessageContaining("console errors").hasMessageContaining("boom");
      assertThatThrownBy(() -> browser.check(url("/broken-image"), 1, 1, dir.resolve("b.png")))
          .hasMessageContaining("did not decode");
      assertThatThrownBy(() -> browser.check(url("/wrong-size"), 1, 1, dir.resolve("c.png")))
          .hasMessageContaining("is drawn 120.0x80.0, not 100x80");
      assertThatThrownBy(() -> browser.check(url("/blank"), 1, 1, dir.resolve("d.png")))
          .hasMessageContaining("one colour only");
      assertThatThrownBy(() -> browser.check(url("/good"), 3, 1, dir.resolve("e.png")))
          .hasMessageContaining("figures of");
    }
  }
}
