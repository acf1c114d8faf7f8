package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPagesTest {
  @Test
  void aRewrittenPageKeepsTheNotesWrittenByHandAfterItsTable(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("docs/bench.md");
    BenchPages.writeKeepingNotes(page, List.of("# Bench", "", "| a |", "| 1 |"));
    Files.writeString(page, Files.readString(page) + "\n## Notes (written after the run)\n\n"
        + "- the first run was on a busy machine\n");

    BenchPages.writeKeepingNotes(page, List.of("# Bench", "", "| a |", "| 2 |", ""));

    assertThat(Files.readAllLines(page)).containsExactly("# Bench", "", "| a |", "| 2 |", "",
        "## Notes (written after the run)", "", "- the first run was on a busy machine");
  }

  /** A page given as one text: its lines, the hand-written part after them, no blank line added. */
  @Test
  void aPageGivenAsTextKeepsItsLinesAndTheNotes(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("bench.md");
    Files.writeString(page, "# Old\n\n## Notes: judged by hand\n\n- kept\n");

    BenchPages.writeKeepingNotes(page, "# New\n\n| 3 |\n");

    assertThat(Files.readString(page))
        .isEqualTo("# New\n\n| 3 |\n## Notes: judged by hand\n\n- kept\n");
  }
}
