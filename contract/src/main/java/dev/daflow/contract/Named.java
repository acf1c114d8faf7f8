package dev.daflow.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A constant of the contract's vocabulary with its wire name: the name requests, REST bodies, the
 * CLI and model cards use ({@code source-only}, {@code adam}, {@code colour}, {@code lenet}). The
 * static helpers read names back with one error wording: {@code <field> must be one of a, b;
 * got 'x'}.
 */
public interface Named {

  /** The wire name. */
  String id();

  /** The wire names of {@code type}'s constants, in declaration order. */
  static <E extends Enum<E> & Named> List<String> ids(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Named::id).toList();
  }

  /** The constant whose wire name is exactly {@code id}, if any (requests are read strictly). */
  static <E extends Enum<E> & Named> Optional<E> exact(Class<E> type, String id) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.id().equals(id)).findFirst();
  }

  /**
   * The constant named {@code value}: its wire name or its Java name, in any case (for people
   * typing options).
   *
   * @throws IllegalArgumentException {@code <field> must be one of <wire names>; got '<value>'}
   */
  static <E extends Enum<E> & Named> E parse(Class<E> type, String field, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.id().equalsIgnoreCase(value) || e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(notOneOf(type, field, value).toString());
  }

  /** The problem of a wire name that is not exactly one of {@code type}'s, if it is not. */
  static <E extends Enum<E> & Named> Optional<Problem> check(Class<E> type, String field,
      String value) {
    return exact(type, value).isPresent() ? Optional.empty()
        : Optional.of(notOneOf(type, field, value));
  }

  private static <E extends Enum<E> & Named> Problem notOneOf(Class<E> type, String field,
      String value) {
    return new Problem(field, "must be one of " + String.join(", ", ids(type)) + "; got "
        + (value == null ? "null" : "'" + value + "'"));
  }

  /** The Java name as a wire name: {@code SOURCE_ONLY} reads {@code source-only}. */
  static String idOf(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
