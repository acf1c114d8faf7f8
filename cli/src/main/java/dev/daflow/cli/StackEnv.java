package dev.daflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code stack.env} file (as {@code LocalStack} writes it): {@code NAME=VALUE} lines;
 * blank lines and {@code #} comments are skipped, an {@code export } prefix and quotes around the
 * value are removed, so a file written for a shell ({@code set -a; . stack.env}) reads too.
 */
final class StackEnv {
  private StackEnv() {}

  /** The variables of {@code file}; empty when the file does not exist. */
  static Map<String, String> read(Path file) throws IOException {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Map.of();
    }
  }

  /** The variables of these lines, in order; a later line wins. */
  static Map<String, String> parse(List<String> lines) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue; // not an assignment
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(line.substring(0, eq).strip(), value);
    }
    return env;
  }
}
