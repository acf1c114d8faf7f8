package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI's HTTP client against a loopback server that plays a service with authentication:
 * every request carries the bearer token; a 401 or 403 is one clear error.
 */
class ServiceClientTest {
  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private URI base;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(auth));
      int status = auth == null ? 401 : auth.equals("Bearer weak") ? 403 : 200;
      byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
      if (status == 200) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void sendsTheTokenOnEveryRequest() throws Exception {
    ServiceClient client = new ServiceClient("trainer-service", base, Duration.ofSeconds(5),
        "a.b.c");
    assertThat(client.get("jobs").status()).isEqualTo(200);
    assertThat(client.post("jobs/x/cancel", "application/json", new byte[0]).status())
        .isEqualTo(200);
    assertThat(authorizations).containsExactly("Bearer a.b.c", "Bearer a.b.c");
  }

  @Test
  void aRefusedTokenIsOneClearError() {
    assertThatThrownBy(() -> new ServiceClient("trainer-service", base, Duration.ofSeconds(5),
        null).get("jobs")).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the platform refused the token: trainer-service answered 401"
            + " to GET /jobs").hasMessageContaining("DAFLOW_TOKEN");
    assertThatThrownBy(() -> new ServiceClient("data-service", base, Duration.ofSeconds(5),
        "weak").post("datasets/catalog/mnist", "application/json", new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the platform refused the token: data-service answered 403 to"
            + " POST /datasets/catalog/mnist").hasMessageContaining("lacks the role");
  }
}
