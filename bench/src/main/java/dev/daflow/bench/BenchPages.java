package dev.daflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown pages the benchmarks write into docs/ ({@code bench/run.sh}, {@code bench/platform.sh},
 * the CLI's {@code bench-*} commands): a page is rewritten from its run, and what was written by
 * hand after a run (from the first heading that starts with {@code "## Notes"}) stays.
 */
public final class BenchPages {
  private BenchPages() {}

  /** {@link #writeKeepingNotes(Path, List)} of a page given as one text. */
  public static void writeKeepingNotes(Path page, String text) throws IOException {
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    writeKeepingNotes(page, List.of(t.split("\n", -1)));
  }

  /**
   * Writes {@code lines} to {@code page}, followed by the notes written by hand after earlier
   * runs (the page's section from a line starting "## Notes" to its end), which stay.
   */
  public static void writeKeepingNotes(Path page, List<String> lines) throws IOException {
    List<String> out = new ArrayList<>(lines);
    if (Files.exists(page)) {
      List<String> old = Files.readAllLines(page, StandardCharsets.UTF_8);
      for (int i = 0; i < old.size(); i++) {
        if (old.get(i).startsWith("## Notes")) {
          out.addAll(old.subList(i, old.size()));
          break;
        }
      }
    }
    Path parent = page.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(page, out, StandardCharsets.UTF_8);
  }
}
