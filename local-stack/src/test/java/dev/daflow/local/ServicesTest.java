package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.local.Services.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a service's process starts with: its env file's settings and its native threads. */
class ServicesTest {
  @TempDir
  Path dir;

  @Test
  void envFileIsKeyValueLinesWithCommentsAndBlankLines() throws Exception {
    Path f = dir.resolve("a.env");
    Files.writeString(f, "# a comment\n\nA_=1\n  B=glibc.malloc.x=1  \n# C=2\n");
    assertThat(Services.readEnvFile(f)).containsExactly(Map.entry("A_", "1"),
        Map.entry("B", "glibc.malloc.x=1"));
  }

  @Test
  void envFileRefusesWhatShWouldReadDifferently() throws Exception {
    for (String bad : new String[] {"A = 1", "A=\"1\"", "A=1 2", "=1", "1A=2", "A=$B", "A"}) {
      Path f = dir.resolve("bad.env");
      Files.writeString(f, "# ok\n" + bad + "\n");
      assertThatThrownBy(() -> Services.readEnvFile(f)).as(bad)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("bad.env:2");
    }
    assertThatThrownBy(() -> Services.readEnvFile(dir.resolve("missing.env")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read");
  }

  @Test
  void trainerStartsWithItsNativeMemorySettingsFromTheOneFile() {
    Map<String, String> file = Services.readEnvFile(
        RepoPaths.find(Path.of("trainer-service/src/main/docker/trainer-runtime.env")));
    assertThat(file).containsKeys("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
        "GLIBC_TUNABLES");
    // glibc refuses an mmap threshold above 32 MiB (HEAP_MAX_SIZE / 2) and keeps its default.
    assertThat(Long.parseLong(file.get("MALLOC_MMAP_THRESHOLD_"))).isLessThanOrEqualTo(32L << 20);
    Map<String, String> env = Service.TRAINER.launchEnvironment(null);
    assertThat(env).containsAllEntriesOf(file)
        .containsEntry("OMP_NUM_THREADS",
            String.valueOf(Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void nativeThreadsAreTheCallersElseOneForInferenceAndEveryCoreForTheOthers() {
    assertThat(Service.TRAINER.launchEnvironment("1")).containsEntry("OMP_NUM_THREADS", "1");
    assertThat(Service.INFERENCE.launchEnvironment(" ")).containsExactly(
        Map.entry("OMP_NUM_THREADS", "1"));
    assertThat(Service.EVALUATOR.launchEnvironment(null)).containsExactly(
        Map.entry("OMP_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors())));
  }
}
