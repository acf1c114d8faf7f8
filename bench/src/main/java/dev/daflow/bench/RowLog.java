package dev.daflow.bench;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.daflow.bench.Benchmark.Row;
import dev.daflow.bench.Benchmark.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured rows of a profile, one JSON object per line, so that an interrupted benchmark
 * resumes where it stopped instead of measuring everything again.
 */
final class RowLog {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private RowLog() {}

  /** Rows by run; empty when the file does not exist. */
  static Map<Run, Row> read(Path file) throws IOException {
    Map<Run, Row> rows = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return rows;
    }
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        Row row = JSON.readValue(lines.get(i), Row.class);
        rows.put(row.run(), row);
      } catch (IOException e) {
        throw new IOException(file + " line " + (i + 1) + " is not a benchmark row: "
            + e.getMessage(), e);
      }
    }
    return rows;
  }

  static void append(Path file, Row row) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, JSON.writeValueAsString(row) + "\n", StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
