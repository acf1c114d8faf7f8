package dev.daflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Markdown pages the {@code bench-*} commands write into docs/. */
final class BenchPages {
  private BenchPages() {}

  /**
   * Writes {@code lines} to {@code page}, followed by the notes written by hand after earlier
   * runs (the page's section from a line starting "## Notes" to its end), which stay.
   */
  static void writeKeepingNotes(Path page, List<String> lines) throws IOException {
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
