package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object store over HTTPS whose certificate is signed by no public CA (made here by the JDK's
 * keytool, for 127.0.0.1): reachable with its certificate as the trust store (PEM or PKCS12),
 * refused without it.
 */
class ObjectStoreTlsTest {
  private static final String PASSWORD = "test-store-password";

  @TempDir
  static Path tmp;

  private static EmbeddedS3 server;
  private static Path pem;
  private static Path trustP12;

  @BeforeAll
  static void start() throws Exception {
    Path keyStore = tmp.resolve("server.p12");
    pem = tmp.resolve("ca.pem");
    trustP12 = tmp.resolve("truststore.p12");
    keytool("-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=daflow-test-s3", "-ext", "SAN=IP:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "s3", "-keystore", keyStore.toString(),
        "-storepass", PASSWORD, "-file", pem.toString());
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pem.toString(), "-storetype",
        "PKCS12", "-keystore", trustP12.toString(), "-storepass", PASSWORD);
    Files.createDirectories(tmp.resolve("objects"));
    server = EmbeddedS3.startHttps(tmp.resolve("objects"), keyStore, PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void withItsCertificateAsPemTheStoreWorks() {
    StorageConfig config = server.config()
        .withTrustStore(new StorageConfig.TrustStore(pem, null, null));
    assertThat(config.endpoint().getScheme()).isEqualTo("https");
    assertThat(config.trustStore().type()).isEqualTo("PEM");
    try (ObjectStore store = new ObjectStore(config)) {
      store.ensureBuckets();
      String key = ObjectKeys.datasetManifest("tls-pem");
      store.put(key, "{\"over\":\"tls\"}".getBytes(StandardCharsets.UTF_8), "application/json");
      assertThat(new String(store.getBytes(key), StandardCharsets.UTF_8))
          .isEqualTo("{\"over\":\"tls\"}");
    }
  }

  @Test
  void aPkcs12TrustStoreFromTheEnvironmentWorksToo() {
    StorageConfig config = StorageConfig.fromEnvironment(Map.of(
        StorageConfig.ENV_ENDPOINT, server.endpoint(),
        StorageConfig.ENV_ACCESS_KEY, server.config().accessKey(),
        StorageConfig.ENV_SECRET_KEY, server.config().secretKey(),
        StorageConfig.ENV_TRUSTSTORE_LOCATION, trustP12.toString(),
        StorageConfig.ENV_TRUSTSTORE_PASSWORD, PASSWORD));
    assertThat(config.trustStore().type()).isEqualTo("PKCS12");
    assertThat(config.toString()).doesNotContain(PASSWORD);
    try (ObjectStore store = new ObjectStore(config)) {
      assertThat(store.health().ready()).as(store.health().toString()).isTrue();
    }
  }

  @Test
  void withoutItTheServerIsNotTrusted() {
    StorageConfig config = server.config().withTimeouts(Duration.ofSeconds(2),
        Duration.ofSeconds(2));
    try (ObjectStore store = new ObjectStore(config)) {
      assertThatThrownBy(store::ensureBuckets).isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining(server.endpoint())
          .hasMessageContaining("certificate is not trusted")
          .hasMessageContaining(StorageConfig.ENV_TRUSTSTORE_LOCATION);
    }
  }

  @Test
  void wrongSettingsAreNamed() {
    assertThatThrownBy(() -> new StorageConfig.TrustStore(tmp.resolve("missing.pem"), null,
        null)).hasMessageContaining("missing.pem")
        .hasMessageContaining(StorageConfig.ENV_TRUSTSTORE_LOCATION);
    assertThatThrownBy(() -> StorageConfig.of("http://127.0.0.1:9", "a", "b")
        .withTrustStore(new StorageConfig.TrustStore(pem, null, null)))
        .hasMessageContaining("not https");
    StorageConfig wrongPassword = server.config()
        .withTrustStore(new StorageConfig.TrustStore(trustP12, "wrong", null));
    assertThatThrownBy(() -> new ObjectStore(wrongPassword))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(trustP12.toString());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool " + args[0] + ": " + out).isZero();
  }
}
