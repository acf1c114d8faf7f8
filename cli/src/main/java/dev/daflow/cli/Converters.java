package dev.daflow.cli;

import dev.daflow.contract.Limits;
import dev.daflow.contract.Method;
import dev.daflow.contract.Network;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters that reject unknown names at parse time, with messages that list the known
 * names.
 */
final class Converters {
  private Converters() {}

  /** {@code dann}, {@code adda}, {@code source-only}. */
  static final class MethodConverter implements ITypeConverter<Method> {
    @Override
    public Method convert(String value) {
      try {
        return Method.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A built-in dataset name. */
  static final class DatasetConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!DatasetCatalog.names().contains(value)) {
        throw new TypeConversionException("unknown dataset '" + value + "'; known: "
            + String.join(", ", DatasetCatalog.names()));
      }
      return value;
    }
  }

  /** A network name of the contract's ({@link Network}). */
  static final class NetworkConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return Network.byId(value).id();
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code train} or {@code test}, any case. */
  static final class SplitConverter implements ITypeConverter<DatasetSource.Split> {
    @Override
    public DatasetSource.Split convert(String value) {
      try {
        return DatasetSource.Split.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("unknown split '" + value + "'; known: train, test");
      }
    }
  }

  /**
   * A duration: {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}, or plain seconds ({@code 90}).
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
      Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException("bad duration '" + value
            + "'; examples: 90s, 5m, 1h (plain numbers are seconds)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    }
  }

  /**
   * A job id, model or dataset name as the platform accepts them: 1-128 letters, digits, {@code
   * .}, {@code _} or {@code -} ({@link Limits#NAME}).
   */
  static final class NameConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!Limits.NAME.matcher(value).matches()) {
        throw new TypeConversionException("bad name '" + value + "': use " + Limits.NAME_RULE);
      }
      return value;
    }
  }
}
