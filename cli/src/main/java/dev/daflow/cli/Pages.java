package dev.daflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The HTML pages the services serve (a model report, a dataset preview), saved as files: each
 * page holds its pictures (inline SVG, PNG data URIs), so one file is the whole page.
 */
final class Pages {
  private Pages() {}

  /**
   * Fetches {@code path} from {@code service} and writes it to {@code file} (folders created).
   *
   * @param notFound the message when the service answers 404 (its own message is appended)
   * @return the file
   */
  static Path save(ServiceClient service, String path, Path file, String notFound)
      throws IOException, InterruptedException {
    ServiceClient.Reply r = service.get(path);
    if (r.status() == 404) {
      throw new IllegalArgumentException(notFound + " (" + r.errorMessage() + ")");
    }
    ServiceClient.require(r, 200);
    Path target = file.toAbsolutePath().normalize();
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    Files.writeString(target, r.body(), StandardCharsets.UTF_8);
    return target;
  }

  /** Prints where the page is and, with {@code open}, opens it in the desktop's browser. */
  static void announce(PrintWriter out, Path file, boolean open) throws IOException {
    out.printf("saved %s (%,d bytes)%n", file, Files.size(file));
    if (open) {
      try {
        new ProcessBuilder(List.of("xdg-open", file.toUri().toString()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        out.println("opened it with xdg-open");
      } catch (IOException e) {
        out.println("could not open it (" + e.getMessage() + "): open " + file.toUri()
            + " in a browser");
      }
    }
  }
}
