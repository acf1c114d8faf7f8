package dev.daflow.data.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads over TLS from an HTTPS server of the test's own on 127.0.0.1, whose certificate
 * (made with the JDK's keytool) names {@code localhost} only: the connection goes to the checked
 * address, and the certificate is still verified against the URL's host.
 */
class DownloadsTlsTest {
  private static final byte[] BODY = "served over TLS".getBytes(StandardCharsets.UTF_8);
  private static final char[] PASSWORD = "test-only".toCharArray();
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir static Path dir;

  private static HttpsServer server;
  private static SSLContext client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    Path keys = dir.resolve("keys.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keys.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = keytool.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys)) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks); // trusts the server's own certificate, nothing else
    client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    port = server.getAddress().getPort();
    server.createContext("/data.bin", x -> {
      x.sendResponseHeaders(200, BODY.length);
      x.getResponseBody().write(BODY);
      x.close();
    });
    server.createContext("/to-http", x -> {
      x.getResponseHeaders().add("Location", "http://localhost:" + port + "/data.bin");
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static Downloads downloads() {
    return new Downloads(DownloadPolicy.of(List.of("localhost", "127.0.0.1")),
        new Downloads.Timeouts(Duration.ofSeconds(5), LONG, LONG), client);
  }

  @Test
  void downloadsFromTheCheckedAddressVerifyingTheCertificateAgainstTheHost() throws Exception {
    Path target = dir.resolve("ok");
    Downloads.Copied copied = downloads().download(
        URI.create("https://localhost:" + port + "/data.bin"), target, 1 << 20);
    assertThat(copied.bytes()).isEqualTo(BODY.length);
    assertThat(target).hasBinaryContent(BODY);
  }

  @Test
  void aCertificateThatDoesNotNameTheHostIsRefused() {
    // Same server, same certificate, but the URL's host is 127.0.0.1, which it does not name.
    String url = "https://127.0.0.1:" + port + "/data.bin";
    assertThatThrownBy(() -> downloads().download(URI.create(url), dir.resolve("no"), 1 << 20))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("cannot download " + url + ": SSLHandshakeException")
        .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
  }

  @Test
  void aRedirectFromHttpsToHttpIsRefused() {
    String url = "https://localhost:" + port + "/to-http";
    assertThatThrownBy(() -> downloads().download(URI.create(url), dir.resolve("no"), 1 << 20))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("cannot download " + url + ": it redirects from https to another scheme;"
            + " refused")
        .satisfies(e -> assertThat(((DatasetRejectedException) e).kind())
            .isEqualTo(DatasetRejectedException.Kind.REFUSED));
  }
}
