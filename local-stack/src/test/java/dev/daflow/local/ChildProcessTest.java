package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child processes: their log, the errors that name a failure, and the stop. */
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
}
