package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole stack: start, the variables it hands out, and a stop that leaves nothing running. */
class LocalStackTest {
  @TempDir
  Path root;

  @Test
  void startsBothPartsAndCloseEndsTheirProcesses() throws Exception {
    LocalStack stack = LocalStack.start(root, LocalStack.Options.FREE_PORTS);
    List<ChildProcess> processes;
    int kafkaPort = stack.kafka().port();
    int controllerPort = stack.kafka().controllerPort();
    int s3Port = stack.s3().port();
    try {
      processes = stack.processes();
      assertThat(processes).extracting(ChildProcess::name).containsExactly("kafka", "s3");
      assertThat(processes).allMatch(ChildProcess::isAlive);
      assertThat(List.of(kafkaPort, controllerPort, s3Port)).allMatch(Ports::isOpen);

      // What a service would read: the env file, through StorageConfig.fromEnvironment.
      Map<String, String> env = readEnvFile(stack.folders().envFile());
      assertThat(env).containsAllEntriesOf(stack.environment())
          .containsEntry(LocalAuth.ENV_TOKEN, stack.token())
          .hasSize(stack.environment().size() + 1);
      assertThat(env.get(LocalAuth.ENV_PUBLIC_KEY)).isEqualTo(
          root.resolve("jwt/public-key.pem").toAbsolutePath().toString());
      assertThat(Files.getPosixFilePermissions(stack.folders().envFile()))
          .as("stack.env holds the token: owner-only")
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("127.0.0.1:" + kafkaPort);
      StorageConfig config = StorageConfig.fromEnvironment(env);
      try (ObjectStore store = new ObjectStore(config)) {
        assertThat(store.health().ready()).as("storage health").isTrue();
        for (String bucket : config.buckets().all()) {
          assertThat(store.bucketExists(bucket)).as(bucket).isTrue();
        }
      }
      assertThat(root.resolve("logs/kafka.log")).isNotEmptyFile();
      assertThat(root.resolve("logs/s3.log")).isNotEmptyFile();

      // A started service's URL goes into the file, not into the children's environment.
      stack.addToEnvironmentFile("DAFLOW_TRAINER_URL", "http://127.0.0.1:1");
      stack.addToEnvironmentFile("DAFLOW_TRAINER_URL", "http://127.0.0.1:2");
      Map<String, String> withUrl = readEnvFile(stack.folders().envFile());
      assertThat(withUrl).containsAllEntriesOf(stack.environment())
          .containsEntry("DAFLOW_TRAINER_URL", "http://127.0.0.1:2")
          .hasSize(stack.environment().size() + 2)
          .isEqualTo(stack.environmentFile());
      assertThat(stack.environment()).doesNotContainKey("DAFLOW_TRAINER_URL");
    } finally {
      stack.close();
    }

    assertThat(processes).noneMatch(ChildProcess::isAlive);
    assertThat(processes).allSatisfy(p ->
        assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(
            java.util.Optional.of(true)));
    assertThat(List.of(kafkaPort, controllerPort, s3Port)).noneMatch(Ports::isOpen);
    assertThat(stack.folders().envFile()).doesNotExist();
    stack.close(); // idempotent
  }

  @Test
  void busyPortIsNamed() throws IOException {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
      int port = busy.getLocalPort();
      assertThatThrownBy(() -> S3Server.start(root.resolve("s3"), root.resolve("s3.log"),
          S3Server.Settings.local().withPort(port)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("S3 server port " + port)
          .hasMessageContaining("busy");
    }
  }

  private static Map<String, String> readEnvFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  @Test
  void kafkaListenerFromTheEnvironment() {
    assertThat(LocalStack.Options.fromEnvironment(Map.of()).kafkaListener())
        .isEqualTo(KafkaBroker.Listener.PLAINTEXT);
    assertThat(LocalStack.Options.fromEnvironment(Map.of(LocalStack.ENV_KAFKA_SECURITY,
        "sasl_ssl")).kafkaListener()).isEqualTo(KafkaBroker.Listener.SASL_SSL);
    assertThatThrownBy(() -> LocalStack.Options.fromEnvironment(Map.of(
        LocalStack.ENV_KAFKA_SECURITY, "SSL")))
        .hasMessageContaining(LocalStack.ENV_KAFKA_SECURITY).hasMessageContaining("'SSL'");
  }
}
