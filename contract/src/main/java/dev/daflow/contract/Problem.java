package dev.daflow.contract;

import java.util.List;

/**
 * One thing wrong with a training request or configuration: the field it is about and what is
 * wrong, e.g. {@code epochs} / {@code must be in 1..10000, got 0}.
 *
 * @param field the request's field, {@code tuning.clipNorm} for a field inside {@code tuning}
 * @param message what is wrong, starting with a verb phrase ({@code must be ...}, {@code applies
 *     to ...}, {@code is required})
 */
public record Problem(String field, String message) {

  /** {@code <field> <message>}, as events, REST answers and the CLI show it. */
  @Override
  public String toString() {
    return field + " " + message;
  }

  /** The problems as text, in order. */
  public static List<String> texts(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  /**
   * Nothing, if there are no problems.
   *
   * @throws IllegalArgumentException naming every problem, in order
   */
  public static void requireNone(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", texts(problems)));
    }
  }
}
