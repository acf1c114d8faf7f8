package dev.daflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CPU trainer's image starts the JVM with the trainer's runtime settings from their one
 * definition, {@code trainer-service/src/main/docker/trainer-runtime.env} (local-stack reads the
 * same file): the build context lets the file in, the image copies it, and the entrypoint exports
 * it before run-java.sh starts the JVM (glibc reads these variables once, at process start).
 */
class TrainerImageTest {
  private static final Repo REPO = Repo.locate();
  private static final String ENV_FILE = "src/main/docker/trainer-runtime.env";

  @Test
  void buildContextLetsTheEnvFileIn() {
    List<String> ignore = REPO.read("trainer-service/.dockerignore").lines()
        .map(String::strip).toList();
    assertThat(ignore).contains("*", "!target/quarkus-app/*", "!" + ENV_FILE);
  }

  @Test
  void imageCopiesTheEnvFileAndItsEntrypointExportsIt() {
    String dockerfile = REPO.read("trainer-service/src/main/docker/Dockerfile.jvm");
    assertThat(dockerfile).contains("COPY --chown=185 " + ENV_FILE
        + " /deployments/trainer-runtime.env");
    String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
        .orElseThrow();
    assertThat(entrypoint).contains("set -a && . /deployments/trainer-runtime.env && set +a")
        .contains("exec /opt/jboss/container/java/run/run-java.sh");
  }

  @Test
  void envFileHoldsOnlyPlainAssignmentsThatShSourcesAsTheyAre() {
    List<String> settings = REPO.read("trainer-service/" + ENV_FILE).lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(settings).isNotEmpty()
        .allMatch(l -> l.matches("[A-Za-z_][A-Za-z0-9_]*=[^\\s'\"$`]+"));
  }
}
