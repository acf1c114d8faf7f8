package dev.daflow.cli;

import dev.daflow.events.TrainingRequested;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.train.Method;
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

  /** A network name known to {@link Architectures}. */
  static final class NetworkConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        Architectures.byName(value);
        return value;
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
   * .}, {@code _} or {@code -} ({@link TrainingRequested#NAME}).
   */
  static final class NameConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!TrainingRequested.NAME.matcher(value).matches()) {
        throw new TypeConversionException("bad name '" + value + "': use 1-128 letters, digits,"
            + " '.', '_' or '-' (no '..')");
      }
      return value;
    }
  }
}
