package dev.daflow.data.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads against an HTTP server of the test's own on 127.0.0.1: the only address these tests
 * connect to. {@code localhost} is resolved by the system (the hosts file), never by asking a
 * DNS server for a real name.
 */
class DownloadsTest {
  private static final byte[] BODY = "a small archive, as far as this test cares"
      .getBytes(StandardCharsets.UTF_8);
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;

  private HttpServer server;
  private ExecutorService pool;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  /** Released when the test ends, so that slow handlers stop. */
  private final CountDownLatch done = new CountDownLatch(1);
  private int port;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pool = Executors.newCachedThreadPool();
    server.setExecutor(pool);
    port = server.getAddress().getPort();
    handle("/data.bin", x -> send(x, 200, BODY, true));
    handle("/chunked.bin", x -> send(x, 200, BODY, false));
    handle("/secret", x -> send(x, 404, "internal secret".getBytes(StandardCharsets.UTF_8), true));
    handle("/relative", x -> redirect(x, 302, "/data.bin"));
    handle("/to-127", x -> redirect(x, 301, "http://127.0.0.1:" + port + "/data.bin"));
    handle("/to-127-2", x -> redirect(x, 307, "http://127.0.0.2:" + port + "/data.bin"));
    handle("/to-numeric", x -> redirect(x, 302, "http://2130706433:" + port + "/data.bin"));
    handle("/loop", x -> redirect(x, 302, "/loop"));
    handle("/trickle", x -> {
      x.sendResponseHeaders(200, 0); // chunked
      OutputStream out = x.getResponseBody();
      try {
        // One byte every 50 ms until the test ends: never idle for the read timeout.
        while (!done.await(50, TimeUnit.MILLISECONDS)) {
          out.write('x');
          out.flush();
        }
      } catch (InterruptedException | IOException e) {
        // the client went away
      }
      x.close();
    });
    handle("/silent", x -> {
      x.sendResponseHeaders(200, 0);
      x.getResponseBody().flush();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      x.close();
    });
    server.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    done.countDown();
    server.stop(0);
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private interface Handler {
    void handle(HttpExchange x) throws IOException;
  }

  private void handle(String path, Handler h) {
    hits.put(path, new AtomicInteger());
    server.createContext(path, x -> {
      hits.get(path).incrementAndGet();
      h.handle(x);
    });
  }

  private static void send(HttpExchange x, int status, byte[] body, boolean sized)
      throws IOException {
    x.sendResponseHeaders(status, sized ? body.length : 0);
    x.getResponseBody().write(body);
    x.close();
  }

  private static void redirect(HttpExchange x, int status, String location) throws IOException {
    x.getResponseHeaders().add("Location", location);
    x.sendResponseHeaders(status, -1);
    x.close();
  }

  private Downloads downloads(Duration read, Duration total, String... allowed) {
    return new Downloads(DownloadPolicy.of(List.of(allowed)),
        new Downloads.Timeouts(Duration.ofSeconds(5), read, total));
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + port + path;
  }

  private Downloads.Copied download(Downloads d, String url, long max) throws Exception {
    return d.download(d.checkUrl(url), dir.resolve("download"), max);
  }

  private static DatasetRejectedException rejected(Downloads d, URI url, Path target, long max) {
    try {
      d.download(url, target, max);
    } catch (DatasetRejectedException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("downloaded " + url);
  }

  private DatasetRejectedException rejected(Downloads d, String url) {
    return rejected(d, URI.create(url), dir.resolve("download"), 1 << 20);
  }

  @Test
  void downloadsFromAnAllowedServerWithOrWithoutLengthAndFollowsRedirects() throws Exception {
    Downloads d = downloads(LONG, LONG, "127.0.0.1");
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY));
    for (String path : new String[] {"/data.bin", "/chunked.bin", "/relative", "/to-127"}) {
      Files.deleteIfExists(dir.resolve("download"));
      assertThat(download(d, url("127.0.0.1", path), 1 << 20)).as(path)
          .isEqualTo(new Downloads.Copied(BODY.length, sha));
      assertThat(dir.resolve("download")).hasBinaryContent(BODY);
    }
    assertThat(hits.get("/data.bin")).hasValue(3);
  }

  @Test
  void aLoopbackUrlIsRefusedUnlessAllowedWithoutConnecting() {
    Downloads notListed = downloads(LONG, LONG, "localhost");
    assertThatThrownBy(() -> notListed.checkUrl(url("127.0.0.1", "/data.bin")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host 127.0.0.1 is not in daflow.data.download.allowed-hosts");
    DatasetRejectedException e = rejected(notListed, url("127.0.0.1", "/data.bin"));
    assertThat(e.kind()).isEqualTo(DatasetRejectedException.Kind.REFUSED);
    assertThat(e).hasMessage("cannot download " + url("127.0.0.1", "/data.bin")
        + ": host 127.0.0.1 is not in daflow.data.download.allowed-hosts");

    // "*" allows any host, but not a non-public address it does not name.
    Downloads anyHost = downloads(LONG, LONG, "*");
    e = rejected(anyHost, url("127.0.0.1", "/data.bin"));
    assertThat(e.kind()).isEqualTo(DatasetRejectedException.Kind.REFUSED);
    assertThat(e).hasMessageStartingWith("cannot download " + url("127.0.0.1", "/data.bin")
        + ": address 127.0.0.1 of host 127.0.0.1 is loopback; refused");
    assertThat(hits.get("/data.bin")).hasValue(0);
  }

  @Test
  void aRedirectFromAnAllowedServerToARefusedAddressIsNotFollowed() {
    Downloads d = downloads(LONG, LONG, "localhost");
    DatasetRejectedException e = rejected(d, url("localhost", "/to-127"));
    assertThat(e.kind()).isEqualTo(DatasetRejectedException.Kind.REFUSED);
    assertThat(e).hasMessage("cannot download " + url("localhost", "/to-127") + ": it redirects"
        + " to a refused address: host 127.0.0.1 is not in daflow.data.download.allowed-hosts");
    assertThat(rejected(d, url("localhost", "/to-127-2"))).hasMessageEndingWith(
        ": it redirects to a refused address: host 127.0.0.2 is not in"
            + " daflow.data.download.allowed-hosts");
    assertThat(rejected(d, url("localhost", "/to-numeric"))).hasMessageContaining(
        ": it redirects to a refused address: host 2130706433 is a numeric address in a"
            + " non-canonical form");

    // Any host, but the address the redirect leads to is loopback and not named.
    Downloads anyHost = downloads(LONG, LONG, "localhost", "*");
    assertThat(rejected(anyHost, url("localhost", "/to-127"))).hasMessageStartingWith(
        "cannot download " + url("localhost", "/to-127") + ": it redirects to a refused"
            + " address: address 127.0.0.1 of host 127.0.0.1 is loopback; refused");

    assertThat(hits.get("/to-127")).hasValue(2);
    assertThat(hits.get("/data.bin")).as("the refused target is never asked").hasValue(0);
  }

  @Test
  void followsAtMostFiveRedirects() {
    DatasetRejectedException e = rejected(downloads(LONG, LONG, "127.0.0.1"),
        url("127.0.0.1", "/loop"));
    assertThat(e.kind()).isEqualTo(DatasetRejectedException.Kind.DOWNLOAD_FAILED);
    assertThat(e).hasMessage("cannot download " + url("127.0.0.1", "/loop")
        + ": more than 5 redirects");
    assertThat(hits.get("/loop")).hasValue(6);
  }

  @Test
  void aBodyTrickledPastTheDeadlineIsCutOff() {
    long start = System.nanoTime();
    DatasetRejectedException e = rejected(downloads(LONG, Duration.ofSeconds(1), "127.0.0.1"),
        url("127.0.0.1", "/trickle"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(e.kind()).isEqualTo(DatasetRejectedException.Kind.DOWNLOAD_FAILED);
    assertThat(e).hasMessage("cannot download " + url("127.0.0.1", "/trickle") + ": it took"
        + " longer than the limit of 1 s (daflow.data.download-timeout)");
    assertThat(millis).as("cut off at the deadline, long before the read timeout")
        .isBetween(900L, 15_000L);
  }

  @Test
  void aServerThatSendsNothingMoreIsCutOffByTheReadTimeout() {
    DatasetRejectedException e = rejected(downloads(Duration.ofMillis(300), LONG, "127.0.0.1"),
        url("127.0.0.1", "/silent"));
    assertThat(e.kind()).isEqualTo(DatasetRejectedException.Kind.DOWNLOAD_FAILED);
    assertThat(e).hasMessage("cannot download " + url("127.0.0.1", "/silent") + ": no data"
        + " came for 300 ms (daflow.data.read-timeout)");
  }

  @Test
  void errorsNameTheStatusOrTheSizeButNeverTheBody() {
    Downloads d = downloads(LONG, LONG, "127.0.0.1");
    DatasetRejectedException e = rejected(d, url("127.0.0.1", "/secret"));
    assertThat(e).hasMessage("cannot download " + url("127.0.0.1", "/secret")
        + ": HTTP status 404");
    for (String path : new String[] {"/data.bin", "/chunked.bin"}) {
      e = rejected(d, URI.create(url("127.0.0.1", path)), dir.resolve("small"), 10);
      assertThat(e.kind()).as(path).isEqualTo(DatasetRejectedException.Kind.TOO_LARGE);
      assertThat(e.getMessage()).as(path).startsWith("http://127.0.0.1:" + port + path
          + " is larger than the limit of 10 bytes").doesNotContain("archive, as far");
    }
  }

  @Test
  void aSilentServerIsCutOffAtTheDeadlineLongBeforeTheReadTimeout() {
    long start = System.nanoTime();
    DatasetRejectedException e = rejected(downloads(LONG, Duration.ofSeconds(1), "127.0.0.1"),
        url("127.0.0.1", "/silent"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(e).hasMessage("cannot download " + url("127.0.0.1", "/silent") + ": it took"
        + " longer than the limit of 1 s (daflow.data.download-timeout)");
    assertThat(millis).isBetween(900L, 15_000L);
  }

  @Test
  void connectsToTheAddressesThePolicyCheckedWithoutResolvingTheHostAgain() throws Exception {
    // data.invalid resolves nowhere (RFC 2606) but through the policy's resolver: a download
    // that succeeds connected to the address the policy checked, not to a second lookup.
    Downloads d = new Downloads(new DownloadPolicy(List.of("data.invalid"),
        host -> List.of(InetAddress.getByName("127.0.0.1"))),
        new Downloads.Timeouts(Duration.ofSeconds(5), LONG, LONG));
    assertThat(download(d, url("data.invalid", "/data.bin"), 1 << 20).bytes())
        .isEqualTo(BODY.length);
    assertThat(dir.resolve("download")).hasBinaryContent(BODY);
  }

  @Test
  void malformedAnswersAreNamedWithoutQuotingThem() throws Exception {
    String[] answers = {
      "HTTP/1.1 2x0 SECRET-STATUS\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nSECRET-CHUNK\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nSECRET-SHORT",
    };
    for (String answer : answers) {
      try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        pool.submit(() -> {
          try (Socket s = raw.accept()) {
            s.getInputStream().read(new byte[4096]);
            s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
          }
          return null;
        });
        String url = "http://127.0.0.1:" + raw.getLocalPort() + "/x";
        DatasetRejectedException e = rejected(downloads(LONG, LONG, "127.0.0.1"), url);
        assertThat(e.kind()).as(answer).isEqualTo(DatasetRejectedException.Kind.DOWNLOAD_FAILED);
        assertThat(e.getMessage()).as(answer).startsWith("cannot download " + url + ": ")
            .doesNotContain("SECRET");
      }
    }
  }
}
