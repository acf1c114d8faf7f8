package dev.daflow.events.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How a client authenticates to the Kafka cluster and encrypts its traffic: the one definition of
 * DAFlow's Kafka security settings, for every service (through {@code daflow.kafka.*}, platform's
 * {@code KafkaGroup}), the CLI and the local stack (through the environment variables below).
 * Off by default ({@link #PLAINTEXT}, the local stack's loopback broker); production sets {@code
 * SASL_SSL} with SCRAM-SHA-512 credentials and a trust store, each from a Secret.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>variable</th><th>property</th><th>default</th></tr>
 * <tr><td>{@value #ENV_PROTOCOL}</td><td>{@code daflow.kafka.security-protocol}</td>
 *     <td>{@code PLAINTEXT}</td></tr>
 * <tr><td>{@value #ENV_SASL_MECHANISM}</td><td>{@code daflow.kafka.sasl.mechanism}</td>
 *     <td>{@code SCRAM-SHA-512}</td></tr>
 * <tr><td>{@value #ENV_SASL_USERNAME}, {@value #ENV_SASL_PASSWORD}</td>
 *     <td>{@code daflow.kafka.sasl.username|password}</td><td>required with SASL</td></tr>
 * <tr><td>{@value #ENV_TRUSTSTORE_LOCATION}, {@value #ENV_TRUSTSTORE_PASSWORD}, {@value
 *     #ENV_TRUSTSTORE_TYPE}</td><td>{@code daflow.kafka.ssl.truststore.location|password|type}</td>
 *     <td>the JVM's trusted CAs; type {@code PKCS12}</td></tr>
 * <tr><td>{@value #ENV_KEYSTORE_LOCATION}, {@value #ENV_KEYSTORE_PASSWORD}, {@value
 *     #ENV_KEYSTORE_TYPE}</td><td>{@code daflow.kafka.ssl.keystore.location|password|type}</td>
 *     <td>none (a client certificate only for brokers that require one)</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows a password.
 *
 * @param protocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param saslMechanism {@code SCRAM-SHA-512}, {@code SCRAM-SHA-256} or {@code PLAIN}; used only
 *     with a SASL protocol
 * @param username the SASL user, or null without SASL
 * @param password the SASL password, or null without SASL
 * @param trustStore the CAs the client trusts, or null for the JVM's; used only with TLS
 * @param keyStore the client's own certificate, or null; used only with TLS
 */
public record KafkaSecurity(String protocol, String saslMechanism, String username,
    String password, Store trustStore, Store keyStore) {

  /** {@code security.protocol}. */
  public static final String ENV_PROTOCOL = "DAFLOW_KAFKA_SECURITY_PROTOCOL";
  /** {@code sasl.mechanism}. */
  public static final String ENV_SASL_MECHANISM = "DAFLOW_KAFKA_SASL_MECHANISM";
  /** The SASL user of the JAAS login module. */
  public static final String ENV_SASL_USERNAME = "DAFLOW_KAFKA_SASL_USERNAME";
  /** The SASL password of the JAAS login module. */
  public static final String ENV_SASL_PASSWORD = "DAFLOW_KAFKA_SASL_PASSWORD";
  /** {@code ssl.truststore.location}. */
  public static final String ENV_TRUSTSTORE_LOCATION = "DAFLOW_KAFKA_SSL_TRUSTSTORE_LOCATION";
  /** {@code ssl.truststore.password}. */
  public static final String ENV_TRUSTSTORE_PASSWORD = "DAFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD";
  /** {@code ssl.truststore.type}. */
  public static final String ENV_TRUSTSTORE_TYPE = "DAFLOW_KAFKA_SSL_TRUSTSTORE_TYPE";
  /** {@code ssl.keystore.location}. */
  public static final String ENV_KEYSTORE_LOCATION = "DAFLOW_KAFKA_SSL_KEYSTORE_LOCATION";
  /** {@code ssl.keystore.password} (and {@code ssl.key.password}). */
  public static final String ENV_KEYSTORE_PASSWORD = "DAFLOW_KAFKA_SSL_KEYSTORE_PASSWORD";
  /** {@code ssl.keystore.type}. */
  public static final String ENV_KEYSTORE_TYPE = "DAFLOW_KAFKA_SSL_KEYSTORE_TYPE";

  /** The default mechanism: salted challenge-response, the password never sent (RFC 5802). */
  public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";
  /** The default type of the stores. */
  public static final String DEFAULT_STORE_TYPE = "PKCS12";
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Map<String, String> LOGIN_MODULES = Map.of(
      "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
      "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
      "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");
  /** No authentication, no encryption: the local stack's loopback broker. */
  public static final KafkaSecurity PLAINTEXT =
      new KafkaSecurity("PLAINTEXT", DEFAULT_MECHANISM, null, null, null, null);


  /**
   * A key or trust store.
   *
   * @param location the file
   * @param password its password, or null for a store without one (a PEM trust store)
   * @param type {@code PKCS12}, {@code JKS} or {@code PEM}
   */
  public record Store(Path location, String password, String type) {
    public Store {
      Objects.requireNonNull(location, "location");
      type = type == null || type.isBlank() ? DEFAULT_STORE_TYPE
          : type.strip().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return "Store[" + location + ", " + type + (password == null ? "" : ", password ***") + "]";
    }
  }

  /**
   * Checks and normalises the settings.
   *
   * @throws IllegalArgumentException naming the setting that is wrong: an unknown protocol or
   *     mechanism, SASL without user or password, a store file that is not there
   */
  public KafkaSecurity {
    protocol = protocol == null || protocol.isBlank() ? "PLAINTEXT"
        : protocol.strip().toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(ENV_PROTOCOL + " must be one of PLAINTEXT, SSL, "
          + "SASL_PLAINTEXT, SASL_SSL; got '" + protocol + "'");
    }
    saslMechanism = saslMechanism == null || saslMechanism.isBlank() ? DEFAULT_MECHANISM
        : saslMechanism.strip().toUpperCase(Locale.ROOT);
    if (!LOGIN_MODULES.containsKey(saslMechanism)) {
      throw new IllegalArgumentException(ENV_SASL_MECHANISM + " must be SCRAM-SHA-512, "
          + "SCRAM-SHA-256 or PLAIN; got '" + saslMechanism + "'");
    }
    username = blankToNull(username);
    password = blankToNull(password);
    if (protocol.startsWith("SASL_") && (username == null || password == null)) {
      throw new IllegalArgumentException(protocol + " needs a user and a password: set "
          + ENV_SASL_USERNAME + " and " + ENV_SASL_PASSWORD + " (from a Secret)");
    }
    for (Store store : new Store[] {trustStore, keyStore}) {
      if (store != null && usesTls(protocol) && !Files.isReadable(store.location())) {
        throw new IllegalArgumentException("the Kafka " + (store == trustStore ? "trust" : "key")
            + " store " + store.location() + " is not a readable file (" + (store == trustStore
                ? ENV_TRUSTSTORE_LOCATION : ENV_KEYSTORE_LOCATION) + ")");
      }
    }
  }

  /**
   * The settings from environment variables (or any lookup of them, e.g. a {@code stack.env}
   * file): {@link #PLAINTEXT} when none is set.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public static KafkaSecurity fromEnvironment(Function<String, String> lookup) {
    return new KafkaSecurity(lookup.apply(ENV_PROTOCOL), lookup.apply(ENV_SASL_MECHANISM),
        lookup.apply(ENV_SASL_USERNAME), lookup.apply(ENV_SASL_PASSWORD),
        store(lookup, ENV_TRUSTSTORE_LOCATION, ENV_TRUSTSTORE_PASSWORD, ENV_TRUSTSTORE_TYPE),
        store(lookup, ENV_KEYSTORE_LOCATION, ENV_KEYSTORE_PASSWORD, ENV_KEYSTORE_TYPE));
  }

  /**
   * The variables {@link #fromEnvironment} reads back into these settings (for a child process or
   * a {@code stack.env} file): only those that differ from the defaults.
   */
  public Map<String, String> toEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (equals(PLAINTEXT)) {
      return env;
    }
    env.put(ENV_PROTOCOL, protocol);
    if (usesSasl()) {
      env.put(ENV_SASL_MECHANISM, saslMechanism);
      env.put(ENV_SASL_USERNAME, username);
      env.put(ENV_SASL_PASSWORD, password);
    }
    putStore(env, trustStore, ENV_TRUSTSTORE_LOCATION, ENV_TRUSTSTORE_PASSWORD,
        ENV_TRUSTSTORE_TYPE);
    putStore(env, keyStore, ENV_KEYSTORE_LOCATION, ENV_KEYSTORE_PASSWORD, ENV_KEYSTORE_TYPE);
    return env;
  }

  /** The same settings as another SASL user (e.g. a client with other rights). */
  public KafkaSecurity withUser(String user, String userPassword) {
    return new KafkaSecurity(protocol, saslMechanism, user, userPassword, trustStore, keyStore);
  }

  /** Whether the client authenticates with SASL. */
  public boolean usesSasl() {
    return protocol.startsWith("SASL_");
  }

  /** Whether the traffic is encrypted with TLS. */
  public boolean usesTls() {
    return usesTls(protocol);
  }

  /**
   * Adds the client properties: {@code security.protocol}, then with SASL {@code sasl.mechanism}
   * and {@code sasl.jaas.config} (the login module of the mechanism with the user and password),
   * with TLS the stores. Host names are verified against the broker's certificate (Kafka's
   * default, {@code ssl.endpoint.identification.algorithm=https}).
   */
  public Properties apply(Properties p) {
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    if (usesSasl()) {
      p.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
      p.put(SaslConfigs.SASL_JAAS_CONFIG, LOGIN_MODULES.get(saslMechanism) + " required username="
          + jaasQuoted(username) + " password=" + jaasQuoted(password) + ";");
    }
    if (usesTls()) {
      if (trustStore != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.location().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, trustStore.type());
        if (trustStore.password() != null) {
          p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trustStore.password());
        }
      }
      if (keyStore != null) {
        p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore.location().toString());
        p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keyStore.type());
        if (keyStore.password() != null) {
          p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keyStore.password());
          p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyStore.password());
        }
      }
    }
    return p;
  }

  @Override
  public String toString() {
    return "KafkaSecurity[" + protocol + (usesSasl() ? ", " + saslMechanism + " as " + username
        + ", password ***" : "") + (usesTls() ? ", trust " + (trustStore == null ? "JVM default"
            : trustStore) + (keyStore == null ? "" : ", key " + keyStore) : "") + "]";
  }

  /** A JAAS option value: quoted, with {@code \} and {@code "} escaped. */
  static String jaasQuoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean usesTls(String protocol) {
    return protocol.endsWith("SSL");
  }

  private static Store store(Function<String, String> lookup, String location, String password,
      String type) {
    String file = blankToNull(lookup.apply(location));
    return file == null ? null
        : new Store(Path.of(file), blankToNull(lookup.apply(password)), lookup.apply(type));
  }

  private static void putStore(Map<String, String> env, Store store, String location,
      String password, String type) {
    if (store != null) {
      env.put(location, store.location().toString());
      if (store.password() != null) {
        env.put(password, store.password());
      }
      env.put(type, store.type());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
