package dev.daflow.contract;

import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The allowed values of one numeric field, with the wording of its problem: {@code epochs must be
 * in 1..10000, got 0}. Every limit of the contract is one of these ({@link Limits}, {@link
 * Tuning.Knob}), so a request, a configuration and a CLI option are checked alike.
 */
public final class Range {
  private final String field;
  private final String description;
  private final DoublePredicate accepts;

  private Range(String field, String description, DoublePredicate accepts) {
    this.field = field;
    this.description = description;
    this.accepts = accepts;
  }

  /** Whole numbers {@code min..max}, both included. */
  public static Range ints(String field, int min, int max) {
    return new Range(field, "in " + min + ".." + max, v -> v >= min && v <= max);
  }

  /** {@code (min, max)}: both excluded. */
  public static Range open(String field, double min, double max) {
    return new Range(field, "in (" + text(min) + ", " + text(max) + ")", v -> v > min && v < max);
  }

  /** {@code (min, max]}: the minimum excluded. */
  public static Range openClosed(String field, double min, double max) {
    return new Range(field, "in (" + text(min) + ", " + text(max) + "]",
        v -> v > min && v <= max);
  }

  /** {@code [min, max)}: the maximum excluded. */
  public static Range closedOpen(String field, double min, double max) {
    return new Range(field, "in [" + text(min) + ", " + text(max) + ")",
        v -> v >= min && v < max);
  }

  /** Whole numbers {@code >= min}; {@code note} says what a special value means. */
  public static Range atLeast(String field, int min, String note) {
    return new Range(field, ">= " + min + " (" + note + ")", v -> v >= min);
  }

  /** Finite numbers {@code >= min}; {@code note} says what a special value means. */
  public static Range finiteAtLeast(String field, double min, String note) {
    return new Range(field, "a finite number >= " + text(min) + " (" + note + ")",
        v -> v >= min && Double.isFinite(v));
  }

  /** The field's name, e.g. {@code epochs}. */
  public String field() {
    return field;
  }

  /** The allowed values in words, e.g. {@code in 1..10000}. */
  public String description() {
    return description;
  }

  /** Whether {@code value} is allowed (NaN never is). */
  public boolean accepts(double value) {
    return !Double.isNaN(value) && accepts.test(value);
  }

  /** The problem with a required {@code value}, if any. */
  public Optional<Problem> check(Number value) {
    return check(field, value);
  }

  /** As {@link #check(Number)}, under another field name (e.g. {@code tuning.clipNorm}). */
  public Optional<Problem> check(String asField, Number value) {
    return value != null && accepts(value.doubleValue()) ? Optional.empty()
        : Optional.of(new Problem(asField, "must be " + description + ", got " + value));
  }

  /** The problem with an optional {@code value}, if any: {@code null} means the default. */
  public Optional<Problem> checkOptional(String asField, Number value) {
    return value == null || accepts(value.doubleValue()) ? Optional.empty()
        : Optional.of(new Problem(asField, "must be " + description
            + " or null (the default), got " + value));
  }

  /**
   * {@code value} if it is allowed.
   *
   * @throws IllegalArgumentException {@code <field> must be <description>, got <value>}
   */
  public double require(double value) {
    check(value).ifPresent(p -> {
      throw new IllegalArgumentException(p.toString());
    });
    return value;
  }

  @Override
  public String toString() {
    return field + " " + description;
  }

  private static String text(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
