package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.local.Services.Service;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading stack.env, and the order option, environment, stack.env. */
class EndpointsTest {

  @Test
  void readsAStackEnvFile(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("stack.env"), String.join("\n",
        "# The local stack's endpoints (dev.daflow.local.LocalStack); local-only credentials.",
        "# set -a; . runs/local/stack.env; set +a",
        "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:40001",
        "DAFLOW_STORAGE_ENDPOINT=http://127.0.0.1:40002",
        "",
        "export DAFLOW_TRAINER_URL=\"http://127.0.0.1:40003\"",
        "DAFLOW_DATA_URL='http://127.0.0.1:40004'",
        "not an assignment",
        "DAFLOW_TRAINER_URL=http://127.0.0.1:40005",
        ""));
    assertThat(StackEnv.read(file)).containsExactly(
        Map.entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:40001"),
        Map.entry("DAFLOW_STORAGE_ENDPOINT", "http://127.0.0.1:40002"),
        Map.entry("DAFLOW_TRAINER_URL", "http://127.0.0.1:40005"),
        Map.entry("DAFLOW_DATA_URL", "http://127.0.0.1:40004"));
    assertThat(StackEnv.read(tmp.resolve("none.env"))).isEmpty();
    assertThat(StackEnv.parse(List.of("A=b=c"))).containsEntry("A", "b=c");
  }

  @Test
  void optionWinsOverEnvironmentWhichWinsOverTheFile(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("stack.env"),
        "KAFKA_BOOTSTRAP_SERVERS=file:1\nDAFLOW_TRAINER_URL=http://file:2\n"
            + "DAFLOW_INFERENCE_URL=http://file:3/\n");
    Endpoints e = endpoints(file, Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:1"));
    assertThat(e.kafka("opt:1")).isEqualTo("opt:1");
    assertThat(e.kafka(null)).isEqualTo("env:1");
    assertThat(endpoints(file, Map.of()).kafka(null)).isEqualTo("file:1");

    assertThat(e.url(Service.TRAINER, URI.create("http://opt:9"))).hasToString("http://opt:9/");
    assertThat(e.url(Service.TRAINER, null)).hasToString("http://file:2/");
    assertThat(e.url(Service.INFERENCE, null)).hasToString("http://file:3/");
    assertThat(endpoints(file, Map.of("DAFLOW_TRAINER_URL", "http://env:2"))
        .url(Service.TRAINER, null)).hasToString("http://env:2/");
  }

  @Test
  void kafkaSecurityFromTheEnvironmentElseTheStackEnvFile(@TempDir Path tmp) throws Exception {
    Path trust = Files.writeString(tmp.resolve("trust.p12"), "x");
    Path file = Files.writeString(tmp.resolve("stack.env"), String.join("\n",
        "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:40001",
        "DAFLOW_KAFKA_SECURITY_PROTOCOL=SASL_SSL",
        "DAFLOW_KAFKA_SASL_USERNAME=daflow-client",
        "DAFLOW_KAFKA_SASL_PASSWORD=file-secret",
        "DAFLOW_KAFKA_SSL_TRUSTSTORE_LOCATION=" + trust,
        "DAFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD=store", ""));
    var fromFile = endpoints(file, Map.of()).kafkaSettings(null);
    assertThat(fromFile.bootstrapServers()).isEqualTo("127.0.0.1:40001");
    assertThat(fromFile.security().username()).isEqualTo("daflow-client");
    assertThat(fromFile.producer()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", trust.toString());

    // A protocol in the environment: all of the settings come from there, none from the file.
    var fromEnv = endpoints(file, Map.of("DAFLOW_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"))
        .kafkaSettings("broker:9092");
    assertThat(fromEnv.bootstrapServers()).isEqualTo("broker:9092");
    assertThat(fromEnv.producer()).containsEntry("security.protocol", "PLAINTEXT")
        .doesNotContainKey("sasl.jaas.config");
    assertThatThrownBy(() -> endpoints(file, Map.of("DAFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))
        .kafkaSettings(null)).hasMessageContaining("DAFLOW_KAFKA_SASL_USERNAME");
    // No stack.env: PLAINTEXT.
    assertThat(endpoints(tmp.resolve("none.env"), Map.of()).kafkaSettings("b:1").security()
        .protocol()).isEqualTo("PLAINTEXT");
  }

  @Test
  void aMissingEndpointNamesEveryWayToGiveIt(@TempDir Path tmp) {
    Path file = tmp.resolve("stack.env");
    Endpoints e = endpoints(file, Map.of());
    assertThatThrownBy(() -> e.kafka(null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--kafka").hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("daflow stack").hasMessageContaining(file.toString());
    assertThatThrownBy(() -> e.url(Service.DATA, null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--data-url").hasMessageContaining("DAFLOW_DATA_URL");
    assertThatThrownBy(() -> endpoints(file, Map.of("DAFLOW_DATA_URL", "not a url"))
        .url(Service.DATA, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad data-service URL");
  }

  @Test
  void theTokenComesFromTheEnvironmentElseTheFile(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("stack.env"), "DAFLOW_TOKEN=file.token.jwt\n");
    assertThat(endpoints(file, Map.of("DAFLOW_TOKEN", " env.token.jwt ")).token())
        .isEqualTo("env.token.jwt");
    assertThat(endpoints(file, Map.of()).token()).isEqualTo("file.token.jwt");
    assertThat(endpoints(tmp.resolve("none.env"), Map.of()).token()).isNull();
  }

  @Test
  void theDefaultFileIsUnderTheRepository() {
    assertThat(new Endpoints().stackEnvFile())
        .isEqualTo(Repository.root().resolve("runs/local/stack.env"));
  }

  private static Endpoints endpoints(Path file, Map<String, String> env) {
    Endpoints e = new Endpoints();
    e.stackEnv = file;
    e.environment = env;
    return e;
  }
}
