package dev.daflow.cli;

import dev.daflow.events.kafka.KafkaSecurity;
import dev.daflow.local.LocalAuth;
import dev.daflow.local.LocalStack;
import dev.daflow.local.Services.Service;
import dev.daflow.platform.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the platform is, for the commands that talk to it: each endpoint from its command's option,
 * else the environment variable, else the {@code stack.env} file that {@code daflow stack} (and
 * {@code bin/local-stack}) writes: {@code --stack-env}, default {@code
 * <repository>/runs/local/stack.env}. The bearer token likewise: {@value LocalAuth#ENV_TOKEN}, else
 * stack.env's.
 */
final class Endpoints {
  /** The variable with Kafka's bootstrap servers. */
  static final String KAFKA_VARIABLE = LocalStack.ENV_KAFKA_BOOTSTRAP_SERVERS;
  /** The default stack folder of {@code daflow stack}, under the repository. */
  static final String DEFAULT_STACK_ROOT = "runs/local";

  @Option(names = "--stack-env", paramLabel = "FILE",
      description = "Variables file of a running local stack, read for the endpoints not given"
          + " by an option or the environment. Default: runs/local/stack.env (written by"
          + " 'daflow stack').")
  Path stackEnv;

  /** The process environment; a test replaces it. */
  Map<String, String> environment = System.getenv();

  private Map<String, String> fileVariables;

  /** The stack.env file in use. */
  Path stackEnvFile() {
    return stackEnv != null ? stackEnv
        : Repository.resolve(DEFAULT_STACK_ROOT).resolve("stack.env");
  }

  /** Kafka's bootstrap servers: {@code option}, else {@value #KAFKA_VARIABLE}, else stack.env. */
  String kafka(String option) {
    return resolve(option, KAFKA_VARIABLE, "--kafka HOST:PORT", "Kafka");
  }

  /**
   * The CLI's Kafka client settings: the bootstrap servers as {@link #kafka}, the security
   * settings ({@link KafkaSecurity}: {@code DAFLOW_KAFKA_SECURITY_PROTOCOL}, {@code
   * DAFLOW_KAFKA_SASL_*}, {@code DAFLOW_KAFKA_SSL_*}) from the environment when it sets the
   * protocol, else from stack.env, else {@code PLAINTEXT}.
   *
   * @throws IllegalArgumentException naming a wrong security setting
   */
  KafkaSettings kafkaSettings(String option) {
    String bootstrap = kafka(option);
    String envProtocol = environment.get(KafkaSecurity.ENV_PROTOCOL);
    Map<String, String> source = envProtocol != null && !envProtocol.isBlank() ? environment
        : fileVariablesIfReadable();
    return new KafkaSettings(bootstrap, "daflow-cli", KafkaSecurity.fromEnvironment(source::get));
  }

  /** A service's base URL: {@code option}, else its variable, else stack.env. */
  URI url(Service service, URI option) {
    String value = resolve(option == null ? null : option.toString(), service.urlVariable(),
        optionName(service) + " URL", service.module());
    try {
      URI uri = URI.create(value.endsWith("/") ? value : value + "/");
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad " + service.module() + " URL '" + value + "': "
          + e.getMessage());
    }
  }

  /** A client of {@code service} at {@link #url}, with the {@link #token()}. */
  ServiceClient client(Service service, URI option, java.time.Duration timeout) {
    return new ServiceClient(service.module(), url(service, option), timeout, token());
  }

  /**
   * The bearer token the services are called with: {@value LocalAuth#ENV_TOKEN}, else the one in
   * stack.env ({@code daflow stack} writes the local user's); null when neither has one (the
   * services then refuse the calls, and {@link ServiceClient} says so).
   */
  String token() {
    String env = environment.get(LocalAuth.ENV_TOKEN);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    String file = fileVariables().get(LocalAuth.ENV_TOKEN);
    return file != null && !file.isBlank() ? file.strip() : null;
  }

  /** {@code --trainer-url} for {@link Service#TRAINER}. */
  static String optionName(Service service) {
    return "--" + service.name().toLowerCase(Locale.ROOT) + "-url";
  }

  private String resolve(String option, String variable, String optionHint, String what) {
    if (option != null && !option.isBlank()) {
      return option.strip();
    }
    String env = environment.get(variable);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    String file = fileVariables().get(variable);
    if (file != null && !file.isBlank()) {
      return file.strip();
    }
    throw new IllegalStateException("where is " + what + "? give " + optionHint + ", set "
        + variable + ", or start the platform with 'daflow stack' (it writes "
        + stackEnvFile() + ")");
  }

  private Map<String, String> fileVariablesIfReadable() {
    try {
      return fileVariables();
    } catch (UncheckedIOException e) {
      return Map.of();
    }
  }

  private Map<String, String> fileVariables() {
    if (fileVariables == null) {
      try {
        fileVariables = StackEnv.read(stackEnvFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + stackEnvFile() + ": " + e.getMessage(), e);
      }
    }
    return fileVariables;
  }
}
