package dev.daflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * A child process of the local stack: a broker, a server, later each service. Its stdout and
 * stderr go to one log file (appended); a JVM shutdown hook stops it if the parent exits without
 * {@link #close()}, so no child outlives the stack. {@link #close()} asks it to stop (SIGTERM),
 * waits {@link #GRACE}, then kills it; it is idempotent.
 */
public final class ChildProcess implements AutoCloseable {
  /** How long {@link #close()} waits after SIGTERM before killing the process. */
  public static final Duration GRACE = Duration.ofSeconds(10);

  private static final int TAIL_LINES = 30;

  private final Spec spec;
  private final Process process;
  private final Thread shutdownHook;
  private boolean closed;

  /**
   * What to run.
   *
   * @param name short name for messages and the log, e.g. {@code kafka}
   * @param command the program and its arguments ({@link #java} builds a JVM command)
   * @param workDir the working folder (must exist)
   * @param logFile where stdout and stderr go, appended; its folder is created
   * @param env variables added to this process's environment
   */
  public record Spec(String name, List<String> command, Path workDir, Path logFile,
      Map<String, String> env) {
    /** Copies the lists; checks nothing is missing. */
    public Spec {
      Objects.requireNonNull(name, "name");
      command = List.copyOf(command);
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(logFile, "logFile");
      env = Map.copyOf(env);
    }
  }

  private ChildProcess(Spec spec, Process process) {
    this.spec = spec;
    this.process = process;
    this.shutdownHook = new Thread(this::stop, "stop-" + spec.name());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts {@code spec}'s command. */
  public static ChildProcess start(Spec spec) {
    try {
      Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(spec.command())
          .directory(spec.workDir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(spec.logFile().toFile()))
          .redirectInput(Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(spec.env());
      return new ChildProcess(spec, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name() + " (" + spec.command().get(0)
          + "): " + e.getMessage(), e);
    }
  }

  /**
   * Starts {@code spec}'s command and waits until it is ready ({@link #awaitReady}); stops it
   * again when it is not. The start of every server the stack runs.
   *
   * @throws IllegalStateException if the process dies first (with its exit code and log tail) or
   *     {@code timeout} passes (naming {@code what})
   */
  public static ChildProcess startReady(Spec spec, String what, Duration timeout,
      Duration interval, Probe probe) {
    ChildProcess child = start(spec);
    try {
      child.awaitReady(what, timeout, interval, probe);
      return child;
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  /**
   * Runs {@code spec}'s command to its end (a set-up tool).
   *
   * @throws IllegalStateException when it fails or takes longer than {@code timeout}, with the
   *     tail of its log
   */
  public static void runToEnd(Spec spec, Duration timeout) {
    try (ChildProcess child = start(spec)) {
      if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(spec.name() + " did not finish within " + timeout
            + child.tailMessage());
      }
      if (child.process.exitValue() != 0) {
        throw child.died("running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + spec.name(), e);
    }
  }

  /**
   * A command that runs a Java class in a new JVM of the same Java as this one.
   *
   * @param jvmOptions e.g. {@code -Xmx512m}
   * @param classpath the class path, entries separated by {@code File.pathSeparator}
   */
  public static List<String> java(List<String> jvmOptions, String classpath, String mainClass,
      String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** The {@code java} of the running JVM. */
  public static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The short name. */
  public String name() {
    return spec.name();
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The log file. */
  public Path logFile() {
    return spec.logFile();
  }

  /** One readiness check: true when the process serves requests. */
  @FunctionalInterface
  public interface Probe {
    boolean ready() throws InterruptedException;

    /**
     * Ready when a GET of {@code url} answers with a status {@code ok} accepts; a server not
     * listening yet is not ready.
     */
    static Probe http(URI url, IntPredicate ok) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET()
          .build();
      return () -> {
        try {
          return ok.test(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
          return false; // not listening yet
        }
      };
    }
  }

  /**
   * Polls {@code probe} every {@code interval} until it answers true.
   *
   * @throws IllegalStateException if the process dies first (with its exit code and log tail) or
   *     {@code timeout} passes (naming {@code what})
   */
  public void awaitReady(String what, Duration timeout, Duration interval, Probe probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        if (!isAlive()) {
          throw died("starting");
        }
        if (probe.ready()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " within " + timeout + tailMessage());
        }
        Thread.sleep(interval.toMillis()); // poll interval between two probes
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting: " + what, e);
    }
  }

  /**
   * The error for a process that ended while it should run: its exit code, and the last lines of
   * its log (with a hint when a port was busy).
   *
   * @param during what it was doing, e.g. {@code starting}
   */
  public IllegalStateException died(String during) {
    int code = process.exitValue();
    String tail = logTail(TAIL_LINES);
    String hint = tail.contains("Address already in use") || tail.contains("BindException")
        ? " (a port it needs is busy)" : "";
    return new IllegalStateException(spec.name() + " exited with code " + code + " while "
        + during + hint + "; last lines of " + spec.logFile() + ":\n" + tail);
  }

  /** "; last lines of LOG:\n..." for error messages. */
  public String tailMessage() {
    return "; last lines of " + spec.logFile() + ":\n" + logTail(TAIL_LINES);
  }

  /** The last {@code lines} lines of the log file (empty when there is none). */
  public String logTail(int lines) {
    try {
      if (!Files.exists(spec.logFile())) {
        return "";
      }
      List<String> all = List.of(new String(Files.readAllBytes(spec.logFile()),
          StandardCharsets.UTF_8).split("\n"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills the process at once (SIGKILL: no shutdown hooks), as a crashed node would end. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the process: SIGTERM, then SIGKILL after {@link #GRACE}. Idempotent. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs anyway, and stop() is idempotent.
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
