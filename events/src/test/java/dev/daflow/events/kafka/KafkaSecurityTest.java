package dev.daflow.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {

  @TempDir
  Path dir;

  @Test
  void plaintextWhenNothingIsSet() {
    KafkaSecurity s = KafkaSecurity.fromEnvironment(Map.<String, String>of()::get);
    assertThat(s).isEqualTo(KafkaSecurity.PLAINTEXT);
    assertThat(s.apply(new Properties())).containsOnly(Map.entry("security.protocol",
        "PLAINTEXT"));
    assertThat(s.toEnvironment()).isEmpty();
  }

  @Test
  void saslSslSetsMechanismJaasAndStores() throws Exception {
    Path trust = Files.writeString(dir.resolve("trust.p12"), "x");
    KafkaSecurity s = KafkaSecurity.fromEnvironment(Map.of(
        KafkaSecurity.ENV_PROTOCOL, "sasl_ssl",
        KafkaSecurity.ENV_SASL_USERNAME, "trainer",
        KafkaSecurity.ENV_SASL_PASSWORD, "pa\"ss\\word",
        KafkaSecurity.ENV_TRUSTSTORE_LOCATION, trust.toString(),
        KafkaSecurity.ENV_TRUSTSTORE_PASSWORD, "changeit")::get);
    Properties p = s.apply(new Properties());
    assertThat(p).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", trust.toString())
        .containsEntry("ssl.truststore.type", "PKCS12")
        .containsEntry("ssl.truststore.password", "changeit")
        .doesNotContainKey("ssl.keystore.location");
    // Kafka's own JAAS parser reads back the user and the password, quotes and backslash included.
    var entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config",
        new Password(p.getProperty("sasl.jaas.config")))).configurationEntries();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getLoginModuleName())
        .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
    Map<String, ?> options = entries.get(0).getOptions();
    assertThat(options.get("username")).isEqualTo("trainer");
    assertThat(options.get("password")).isEqualTo("pa\"ss\\word");
    // Round trip through the environment, as the local stack hands it to its services.
    assertThat(KafkaSecurity.fromEnvironment(s.toEnvironment()::get)).isEqualTo(s);
  }

  @Test
  void neverPrintsPasswords() throws Exception {
    Path trust = Files.writeString(dir.resolve("trust.p12"), "x");
    KafkaSecurity s = new KafkaSecurity("SASL_SSL", null, "u", "s3cret-value",
        new KafkaSecurity.Store(trust, "store-secret", null), null);
    assertThat(s.toString()).contains("SASL_SSL", "SCRAM-SHA-512", "u")
        .doesNotContain("s3cret-value", "store-secret");
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> new KafkaSecurity("TLS", null, null, null, null, null))
        .hasMessageContaining(KafkaSecurity.ENV_PROTOCOL).hasMessageContaining("'TLS'");
    assertThatThrownBy(() -> new KafkaSecurity("SASL_SSL", null, "u", null, null, null))
        .hasMessageContaining(KafkaSecurity.ENV_SASL_PASSWORD);
    assertThatThrownBy(() -> new KafkaSecurity("SASL_SSL", "GSSAPI", "u", "p", null, null))
        .hasMessageContaining(KafkaSecurity.ENV_SASL_MECHANISM).hasMessageContaining("GSSAPI");
    Path missing = dir.resolve("missing.p12");
    assertThatThrownBy(() -> new KafkaSecurity("SSL", null, null, null,
        new KafkaSecurity.Store(missing, "x", null), null))
        .hasMessageContaining(missing.toString())
        .hasMessageContaining(KafkaSecurity.ENV_TRUSTSTORE_LOCATION);
  }
}
