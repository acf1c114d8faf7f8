package dev.daflow.deploy.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The committed .env.example against docker-compose.yml: it lists every variable the compose
 * file interpolates, with the compose file's own default, each under a comment that explains it,
 * and nothing the compose file does not use.
 */
public final class EnvExampleRules {

  private EnvExampleRules() {}

  /** One line per problem, empty when .env.example and the compose file agree. */
  public static List<String> check(ComposeFile compose, String envExample) {
    List<String> problems = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    boolean explained = false;
    for (String raw : envExample.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        explained = false;
      } else if (line.startsWith("#")) {
        explained = true;
      } else {
        int eq = line.indexOf('=');
        if (eq <= 0) {
          problems.add(".env.example: '" + line + "' is not NAME=value");
          continue;
        }
        String name = line.substring(0, eq).strip();
        values.put(name, line.substring(eq + 1).strip());
        if (!explained) {
          problems.add(".env.example: " + name + " has no comment above it");
        }
      }
    }
    compose.variables().forEach((name, fallback) -> {
      if (!values.containsKey(name)) {
        problems.add(".env.example does not list " + name + ", which docker-compose.yml uses");
      } else if (!fallback.equals(Optional.of(values.get(name)))) {
        problems.add(".env.example: " + name + "=" + values.get(name) + ", but its default in "
            + "docker-compose.yml is " + fallback.orElse("(none)"));
      }
    });
    values.keySet().stream().filter(name -> !compose.variables().containsKey(name))
        .forEach(name -> problems.add(".env.example: " + name
            + " is not used by docker-compose.yml"));
    return problems;
  }
}
