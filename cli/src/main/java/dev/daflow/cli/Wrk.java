package dev.daflow.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * <a href="https://github.com/wg/wrk">wrk</a> (Debian's package {@code wrk}) as the closed-loop
 * HTTP client of {@code bench-platform}: N connections, each sending its next POST when the
 * answer came, the request prepared once. A C client takes far less of the shared cores than a
 * JVM client does, so what is measured is the service; {@code bench/load.sh} uses it too.
 */
final class Wrk {
  /** The Lua script: the POST from the environment, and one result line at the end. */
  private static final String SCRIPT = """
      local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
      wrk.method = "POST"
      wrk.body = f:read("*a")
      f:close()
      wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")
      local auth = os.getenv("WRK_AUTHORIZATION")
      if auth ~= nil and auth ~= "" then wrk.headers["Authorization"] = auth end
      for line in (os.getenv("WRK_HEADERS") or ""):gmatch("[^\\n]+") do
        local name, value = line:match("^([^:]+):%s*(.*)$")
        if name then wrk.headers[name] = value end
      end
      done = function(summary, latency, requests)
        local e = summary.errors
        io.write(string.format("daflow-wrk %d %d %.1f %.1f %d %d\\n", summary.requests,
          summary.duration, latency:percentile(50), latency:percentile(99),
          e.connect + e.read + e.write + e.timeout, e.status))
      end
      """;

  /**
   * One run.
   *
   * @param requests answers received
   * @param seconds the run's own duration
   * @param p50 median latency, ms
   * @param p99 99th percentile latency, ms
   */
  record Turn(long requests, double seconds, double p50, double p99) {}

  private final Path script;

  /** @param dir where the Lua script and the request bodies are written */
  Wrk(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.script = Files.writeString(dir.resolve("post.lua"), SCRIPT, StandardCharsets.UTF_8);
  }

  /** Whether {@code wrk} runs here. */
  static boolean installed() {
    try {
      Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * POSTs {@code body} (with {@code headers} besides the content type and authorization) to
   * {@code uri} from {@code connections} connections for {@code d}, rounded
   * to whole seconds (wrk takes no fractions); the turn reports the duration wrk measured.
   *
   * @throws IllegalStateException when wrk fails, or any request failed or was answered with
   *     anything but 2xx/3xx
   */
  Turn run(URI uri, String contentType, Path body, String authorization,
      Map<String, String> headers, int connections, Duration d)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("wrk", "-t1", "-c" + connections,
        "-d" + Math.max(1, Math.round(d.toMillis() / 1000.0)) + "s", "--latency", "-s",
        script.toString(), uri.toString()).redirectErrorStream(true);
    pb.environment().put("WRK_BODY", body.toString());
    pb.environment().put("WRK_CONTENT_TYPE", contentType);
    pb.environment().put("WRK_AUTHORIZATION", authorization == null ? "" : authorization);
    pb.environment().put("WRK_HEADERS", String.join("\n", headers.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).toList()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(d.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk failed against " + uri + ":\n" + out);
    }
    return parse(out, uri);
  }

  /** The result line of {@link #SCRIPT} in wrk's output. */
  static Turn parse(String out, URI uri) {
    List<String> line = out.lines().filter(l -> l.startsWith("daflow-wrk ")).findFirst()
        .map(l -> List.of(l.trim().split("\\s+")))
        .orElseThrow(() -> new IllegalStateException("wrk printed no result for " + uri + ":\n"
            + out));
    long requests = Long.parseLong(line.get(1));
    long socketErrors = Long.parseLong(line.get(5));
    long statusErrors = Long.parseLong(line.get(6));
    if (socketErrors + statusErrors > 0 || requests == 0) {
      throw new IllegalStateException(String.format(Locale.ROOT, "wrk against %s: %d requests,"
          + " %d socket errors, %d answers not 2xx/3xx:%n%s", uri, requests, socketErrors,
          statusErrors, out));
    }
    return new Turn(requests, Long.parseLong(line.get(2)) / 1e6,
        Double.parseDouble(line.get(3)) / 1000, Double.parseDouble(line.get(4)) / 1000);
  }
}
