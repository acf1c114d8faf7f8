package dev.daflow.deploy.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml as docker compose sees it without a .env: {@code ${VAR:-default}}
 * interpolated with the defaults (commons-text), {@code $$} unescaped, then parsed as YAML 1.1
 * with merge keys ({@code <<: *anchor}, SnakeYAML).
 *
 * @param document the parsed file
 * @param variables every variable the file interpolates, with its default (empty when it has
 *     none, which docker compose turns into an empty string and a warning)
 * @param problems what compose would misread: a {@code $VAR} without braces, a variable
 *     without default
 */
public record ComposeFile(Map<String, Object> document, Map<String, Optional<String>> variables,
    List<String> problems) {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");
  private static final Pattern BARE = Pattern.compile("\\$[A-Za-z_]");

  /**
   * Interpolates and parses.
   *
   * @throws AssertionError when the result is not a YAML mapping
   */
  public static ComposeFile parse(String text) {
    Map<String, Optional<String>> variables = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String unescaped = text.replace("$$", "");
    Matcher m = VARIABLE.matcher(unescaped);
    while (m.find()) {
      String name = m.group(1);
      Optional<String> fallback = ":-".equals(m.group(2)) || "-".equals(m.group(2))
          ? Optional.of(m.group(3)) : Optional.empty();
      if (fallback.isEmpty()) {
        problems.add("${" + name + "} has no default (write ${" + name + ":-value})");
      }
      variables.merge(name, fallback, (a, b) -> a.isPresent() ? a : b);
    }
    for (String line : VARIABLE.matcher(unescaped).replaceAll("").split("\n")) {
      if (BARE.matcher(line).find() && !line.strip().startsWith("#")) {
        problems.add("compose interpolates the bare $ in '" + line.strip()
            + "': write $${...} or $$NAME for the container's shell");
      }
    }
    StringLookup noEnvironment = key -> null;
    StringSubstitutor substitutor = new StringSubstitutor(noEnvironment, "${", "}", '$',
        ":-");
    String interpolated = substitutor.replace(text.replace("$$", "\u0000"))
        .replace("\u0000", "$");
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(interpolated);
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new AssertionError("docker-compose.yml is not a YAML mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> document = (Map<String, Object>) map;
    return new ComposeFile(document, variables, List.copyOf(problems));
  }

  /** The services by name. */
  public Map<String, Map<String, Object>> services() {
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    if (document.get("services") instanceof Map<?, ?> all) {
      all.forEach((name, body) -> services.put(String.valueOf(name), map(body)));
    }
    return services;
  }

  /** A YAML mapping as a map with string keys (empty for anything else). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** A YAML sequence as a list (empty for anything else). */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> l
        ? java.util.Collections.unmodifiableList((List<Object>) l) : List.of();
  }
}
