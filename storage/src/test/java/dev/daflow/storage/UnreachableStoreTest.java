package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be reached fails fast, with the endpoint in the message. */
class UnreachableStoreTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir
  Path tmp;

  @Test
  void aClosedPortFailsEveryOperationQuickly() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    StorageConfig config = StorageConfig.of(endpoint, "daflow", "secret-key")
        .withTimeouts(SHORT, SHORT);
    Path source = Files.write(tmp.resolve("source.bin"), new byte[] {1, 2, 3});
    Path destination = tmp.resolve("out/destination.bin");
    String key = ObjectKeys.datasetManifest("usps");

    try (ObjectStore store = new ObjectStore(config)) {
      Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
      ops.put("ensureBuckets", store::ensureBuckets);
      ops.put("put bytes", () -> store.put(key, new byte[] {1}, null));
      ops.put("put file", () -> store.put(key, source, null));
      ops.put("stat", () -> store.stat(key));
      ops.put("exists", () -> store.exists(key));
      ops.put("getBytes", () -> store.getBytes(key));
      ops.put("download", () -> store.download(key, destination));
      ops.put("list", () -> store.list("datasets/"));
      ops.put("delete", () -> store.delete(key));
      ops.put("deletePrefix", () -> store.deletePrefix("datasets/"));

      long start = System.nanoTime();
      ops.forEach((name, op) -> assertThat(catchThrowable(op)).as(name)
          .isInstanceOfSatisfying(StorageUnavailableException.class,
              e -> assertThat(e.endpoint()).isEqualTo(endpoint))
          .hasMessageStartingWith("object store at " + endpoint + " is unavailable: "));
      StorageHealth health = store.health();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(health.reachable()).isFalse();
      assertThat(health.ready()).isFalse();
      assertThat(health.endpoint()).isEqualTo(endpoint);
      assertThat(health.problem()).contains(endpoint);
      assertThat(store.isReachable()).isFalse();
      assertThat(elapsed).as("11 operations against a closed port").isLessThan(
          Duration.ofSeconds(5));
    }
    assertThat(destination.getParent()).isEmptyDirectory();
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accepted, never answered
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
      StorageConfig config = StorageConfig.of(endpoint, "daflow", "secret-key")
          .withTimeouts(SHORT, SHORT);

      try (ObjectStore store = new ObjectStore(config)) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> store.getBytes(
            ObjectKeys.datasetManifest("usps")));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(thrown).isInstanceOf(StorageUnavailableException.class)
            .hasMessageContaining(endpoint)
            .hasMessageContaining("get 'datasets/usps/manifest.json' in bucket 'daflow-datasets'")
            .hasMessageEndingWith("(timeouts: connect 300 ms, read 300 ms)");
        assertThat(elapsed).isLessThan(Duration.ofSeconds(3));
        assertThat(held).isNotEmpty();
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
