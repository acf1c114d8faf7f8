package dev.daflow.local;

import dev.daflow.events.Topics;
import dev.daflow.events.kafka.KafkaSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A local broker's {@code SASL_SSL} set-up, made afresh at each start: a self-signed certificate
 * for {@code 127.0.0.1} (the JDK's {@code keytool}), the broker's trust store holding it (which
 * the clients use too), SCRAM-SHA-512 users with random passwords (written into the metadata
 * when the storage is formatted, {@code StorageTool format --add-scram}), and ACLs enforced by
 * KRaft's {@code StandardAuthorizer}:
 *
 * <ul>
 *   <li>{@value #ADMIN_USER}: super user, the broker itself (inter-broker listener) and set-up;
 *   <li>{@value #CLIENT_USER}: the clients that request training ({@code daflow train}, the
 *       tests): reads every {@code daflow.*} topic (and may create them), every consumer group,
 *       and writes only its own requests topic, {@code daflow.training.requests.daflow-client}
 *       ({@link Topics#trainingRequestsOf}): the trainer records its requests as {@code
 *       kafka:daflow-client}, and it can neither write another user's requests nor the plain
 *       requests topic nor the services' events;
 *   <li>{@value #SERVICES_USER}: the services: everything on the {@code daflow.*} topics, except
 *       writing to the plain {@value Topics#TRAINING_REQUESTS} (denied: trainer-service's {@code
 *       POST /jobs} publishes on its own topic, {@code daflow.training.requests.daflow-services},
 *       with the bearer token's user as the {@code principal} attribute).
 * </ul>
 *
 * The controller listener stays on 127.0.0.1 and is TLS with client certificates: only the
 * holder of the broker's key ({@value #BROKER_DN}, a super user) gets through. Keys and
 * passwords live under the broker's folder only (never in git).
 */
public final class BrokerSecurity {
  /** The super user. */
  public static final String ADMIN_USER = "admin";
  /** The user of the services. */
  public static final String SERVICES_USER = "daflow-services";
  /** The user of the clients that request training. */
  public static final String CLIENT_USER = "daflow-client";
  /** The subject of the broker's certificate, its principal on the controller listener. */
  public static final String BROKER_DN = "CN=daflow-local-broker";

  private static final String MECHANISM = KafkaSecurity.DEFAULT_MECHANISM;
  private static final String STORE_PASSWORD_VARIABLE = "DAFLOW_LOCAL_STORE_PASSWORD";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path keyStore;
  private final Path trustStore;
  private final String storePassword;
  private final Map<String, String> passwords;

  private BrokerSecurity(Path keyStore, Path trustStore, String storePassword,
      Map<String, String> passwords) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.storePassword = storePassword;
    this.passwords = passwords;
  }

  /**
   * Generates the broker's key and certificate ({@code dir/broker.p12}), the trust store
   * ({@code dir/truststore.p12}) and the users' passwords, replacing earlier ones.
   *
   * @param logFile where {@code keytool} writes
   * @throws IllegalStateException when {@code keytool} fails, with its output
   */
  static BrokerSecurity generate(Path dir, Path logFile) {
    try {
      Files.createDirectories(dir);
      for (String f : List.of("broker.p12", "truststore.p12", "broker.pem")) {
        Files.deleteIfExists(dir.resolve(f));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot prepare " + dir, e);
    }
    String storePassword = randomSecret();
    Path keyStore = dir.resolve("broker.p12");
    Path trustStore = dir.resolve("truststore.p12");
    Path cert = dir.resolve("broker.pem");
    keytool(dir, logFile, storePassword, "-genkeypair", "-alias", "broker", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", BROKER_DN, "-ext",
        "SAN=IP:" + Ports.HOST + ",DNS:localhost", "-validity", "30", "-storetype", "PKCS12",
        "-keystore", keyStore.toString());
    keytool(dir, logFile, storePassword, "-exportcert", "-rfc", "-alias", "broker",
        "-keystore", keyStore.toString(), "-file", cert.toString());
    keytool(dir, logFile, storePassword, "-importcert", "-noprompt", "-alias", "daflow-local-ca",
        "-file", cert.toString(), "-storetype", "PKCS12", "-keystore", trustStore.toString());
    return new BrokerSecurity(keyStore, trustStore, storePassword, Map.of(
        ADMIN_USER, randomSecret(), SERVICES_USER, randomSecret(), CLIENT_USER, randomSecret()));
  }

  private static void keytool(Path dir, Path logFile, String storePassword, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    // Passwords from the environment, never on the command line.
    command.addAll(List.of("-storepass:env", STORE_PASSWORD_VARIABLE));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keypass:env", STORE_PASSWORD_VARIABLE));
    }
    ChildProcess.runToEnd(new ChildProcess.Spec("keytool", command, dir, logFile,
        Map.of(STORE_PASSWORD_VARIABLE, storePassword)), Duration.ofSeconds(60));
  }

  /** The arguments of {@code StorageTool format} that create the SCRAM users. */
  List<String> formatArguments() {
    List<String> args = new ArrayList<>();
    passwords.forEach((user, password) -> {
      args.add("--add-scram");
      args.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
    });
    return args;
  }

  /** The listener and security lines of {@code server.properties}. */
  List<String> serverProperties(String host, int port, int controllerPort) {
    return List.of(
        "listeners=SASL_SSL://" + host + ":" + port + ",CONTROLLER://" + host + ":"
            + controllerPort,
        "advertised.listeners=SASL_SSL://" + host + ":" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=SASL_SSL",
        "listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL",
        "listener.name.controller.ssl.client.auth=required",
        "sasl.enabled.mechanisms=" + MECHANISM,
        "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
        "listener.name.sasl_ssl." + MECHANISM.toLowerCase(java.util.Locale.ROOT)
            + ".sasl.jaas.config=" + admin().apply(new java.util.Properties())
                .getProperty("sasl.jaas.config"),
        "ssl.keystore.location=" + keyStore,
        "ssl.keystore.type=PKCS12",
        "ssl.keystore.password=" + storePassword,
        "ssl.key.password=" + storePassword,
        "ssl.truststore.location=" + trustStore,
        "ssl.truststore.type=PKCS12",
        "ssl.truststore.password=" + storePassword,
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users=User:" + ADMIN_USER + ";User:" + BROKER_DN,
        "allow.everyone.if.no.acl.found=false");
  }

  /** The client settings of {@code user} (one of this class's users). */
  public KafkaSecurity client(String user) {
    String password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no such local Kafka user: " + user);
    }
    return new KafkaSecurity("SASL_SSL", MECHANISM, user, password,
        new KafkaSecurity.Store(trustStore, storePassword, "PKCS12"), null);
  }

  /** The super user's client settings. */
  public KafkaSecurity admin() {
    return client(ADMIN_USER);
  }

  /**
   * The ACLs of {@value #SERVICES_USER} and {@value #CLIENT_USER} (see the class comment),
   * created by the super user.
   */
  void createAcls(Admin admin) {
    List<AclBinding> acls = new ArrayList<>();
    for (String user : List.of(SERVICES_USER, CLIENT_USER)) {
      String principal = "User:" + user;
      acls.add(allow(ResourceType.GROUP, "*", PatternType.LITERAL, principal, AclOperation.ALL));
      acls.add(allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, principal,
          AclOperation.DESCRIBE));
      acls.add(allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, principal,
          AclOperation.IDEMPOTENT_WRITE));
    }
    String services = "User:" + SERVICES_USER;
    acls.add(allow(ResourceType.TOPIC, "daflow.", PatternType.PREFIXED, services,
        AclOperation.ALL));
    acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, Topics.TRAINING_REQUESTS,
        PatternType.LITERAL), new AccessControlEntry(services, "*", AclOperation.WRITE,
            AclPermissionType.DENY)));
    // A client: read and create every topic, write only its own requests topic.
    String client = "User:" + CLIENT_USER;
    for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS, AclOperation.CREATE)) {
      acls.add(allow(ResourceType.TOPIC, "daflow.", PatternType.PREFIXED, client, op));
    }
    acls.add(allow(ResourceType.TOPIC, Topics.trainingRequestsOf(CLIENT_USER),
        PatternType.LITERAL, client, AclOperation.WRITE));
    try {
      admin.createAcls(acls).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the local broker's ACLs: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating ACLs", e);
    }
  }

  private static AclBinding allow(ResourceType type, String name, PatternType pattern,
      String principal, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }

  private static String randomSecret() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
