package dev.daflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    return write(r.body(), file);
  }

  private static Path write(String page, Path file) throws IOException {
    Path target = file.toAbsolutePath().normalize();
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    Files.writeString(target, page, StandardCharsets.UTF_8);
    return target;
  }

  /**
   * Like {@link #save}, for a page a service makes in the background (a model report after a
   * promotion): answered 404 until it exists, so asked again every second until {@code wait}
   * has passed.
   *
   * @throws IllegalStateException if the page is still missing after {@code wait}
   */
  static Path await(ServiceClient service, String path, Path file, Duration wait)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    ServiceClient.Reply r;
    while ((r = service.get(path)).status() == 404) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(service.base() + path + " still missing after " + wait
            + " (" + r.errorMessage() + ")");
      }
      Thread.sleep(1000); // the poll interval
    }
    ServiceClient.require(r, 200);
    return write(r.body(), file);
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
