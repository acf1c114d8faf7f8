package dev.daflow.cli;

import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import java.util.Locale;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.train.Method;
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
}
