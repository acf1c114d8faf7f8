package dev.daflow.ml.nn;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The networks DAFlow knows, chosen by name. */
public final class Architectures {
  private static final Map<String, Architecture> BY_NAME =
      List.of(new LeNet(), new DannSvhnNet(), new AddaMnist64Net()).stream()
          .collect(Collectors.toUnmodifiableMap(Architecture::name, Function.identity()));

  private Architectures() {}

  /**
   * @throws IllegalArgumentException naming the known networks if {@code name} is not one
   */
  public static Architecture byName(String name) {
    Architecture a = BY_NAME.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          "unknown network '" + name + "'; known: " + String.join(", ", names()));
    }
    return a;
  }

  public static List<String> names() {
    return BY_NAME.keySet().stream().sorted().toList();
  }
}
