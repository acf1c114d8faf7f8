package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child processes: their log, the errors that name a failure, readiness, and the stop. */
class ChildProcessTest {
  @TempDir
  Path dir;

  @Test
  void failureNamesTheExitCodeAndTheLogTail() {
    Path log = dir.resolve("logs/tool.log");
    ChildProcess.Spec spec = new ChildProcess.Spec("tool",
        List.of("sh", "-c", "echo starting; echo 'java.net.BindException: Address already in use'; "
            + "exit 3"), dir, log, Map.of());

    assertThatThrownBy(() -> ChildProcess.runToEnd(spec, Duration.ofSeconds(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tool exited with code 3")
        .hasMessageContaining("a port it needs is busy")
        .hasMessageContaining(log.toString())
        .hasMessageContaining("starting");
  }

  @Test
  void closeEndsTheProcessAndIsIdempotent() {
    ChildProcess child = ChildProcess.start(new ChildProcess.Spec("sleeper",
        List.of("sleep", "60"), dir, dir.resolve("sleeper.log"), Map.of("A", "1")));
    assertThat(child.isAlive()).isTrue();

    child.close();
    child.close();

    assertThat(child.isAlive()).isFalse();
    assertThat(ProcessHandle.of(child.pid())).isEmpty();
  }

  @Test
  void startReadyStopsAProcessThatIsNotReadyInTime() {
    Path log = dir.resolve("never.log");
    assertThatThrownBy(() -> ChildProcess.startReady(new ChildProcess.Spec("never",
        List.of("sh", "-c", "echo $$ > pid; echo waiting; exec sleep 60"), dir, log, Map.of()),
        "never got ready", Duration.ofMillis(500), Duration.ofMillis(50), () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never got ready within PT0.5S")
        .hasMessageContaining(log.toString());
    long pid = Long.parseLong(readTrimmed(dir.resolve("pid")));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void httpProbeIsReadyOnAnAcceptedStatusOnly() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(Ports.HOST, 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    server.start();
    try {
      URI url = URI.create("http://" + Ports.HOST + ":"
          + server.getAddress().getPort() + "/ready");
      assertThat(ChildProcess.Probe.http(url, status -> true).ready()).isTrue();
      assertThat(ChildProcess.Probe.http(url, status -> status == 200).ready()).isFalse();
    } finally {
      server.stop(0);
    }
    int nobody = Ports.freeOr(0, "test");
    assertThat(ChildProcess.Probe.http(URI.create("http://" + Ports.HOST + ":" + nobody),
        status -> true).ready()).isFalse();
  }

  private static String readTrimmed(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
