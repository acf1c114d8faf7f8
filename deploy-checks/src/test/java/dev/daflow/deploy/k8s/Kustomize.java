package dev.daflow.deploy.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with {@code kubectl kustomize DIR} (kustomize v5 inside kubectl >=
 * 1.27; offline, no cluster needed).
 *
 * @param kubectl the kubectl executable: a name looked up on PATH or a path
 */
public record Kustomize(String kubectl) {

  /** Oldest kubectl minor version whose kustomize (v5) renders these folders. */
  public static final int MIN_MINOR = 27;

  private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();
  private static final Pattern MINOR = Pattern.compile("\"minor\"\\s*:\\s*\"(\\d+)");

  /** {@code kubectl} from PATH. */
  public static Kustomize onPath() {
    return new Kustomize("kubectl");
  }

  /**
   * The YAML of a kustomization and what kustomize printed besides it.
   *
   * @param yaml every object, documents separated by {@code ---}
   * @param warnings kubectl's standard error (deprecation warnings land there)
   */
  public record Rendered(String yaml, String warnings) {}

  /**
   * Renders {@code dir}.
   *
   * @throws AssertionError when kubectl is missing or kustomize refuses the folder, with kubectl's
   *     message
   */
  public Rendered render(Path dir) {
    checkVersion();
    return run(List.of(kubectl, "kustomize", dir.toString()), "kubectl kustomize " + dir);
  }

  /**
   * Refuses a kubectl older than 1.27, whose bundled kustomize (v4 and older; Debian's
   * kubernetes-client 1.20 has v2) misreads these kustomizations with obscure errors.
   */
  private void checkVersion() {
    if (CHECKED.contains(kubectl)) {
      return;
    }
    Rendered version = run(List.of(kubectl, "version", "--client", "-o", "json"),
        "kubectl version");
    Matcher m = MINOR.matcher(version.yaml());
    if (m.find() && Integer.parseInt(m.group(1)) < MIN_MINOR) {
      throw new AssertionError("kubectl 1." + m.group(1) + " bundles a kustomize older than v5; "
          + "the deploy checks need kubectl >= 1." + MIN_MINOR);
    }
    CHECKED.add(kubectl);
  }

  private Rendered run(List<String> command, String what) {
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot run '" + kubectl + "' (" + e.getMessage() + "): the deploy "
          + "checks render k8s/ with `kubectl kustomize`; install kubectl >= 1." + MIN_MINOR
          + " (it bundles kustomize v5) and put it on PATH", e);
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(what + " did not finish in 2 minutes");
      }
      String stderr = err.join();
      if (process.exitValue() != 0) {
        throw new AssertionError(what + " failed (exit " + process.exitValue() + "): "
            + stderr.strip());
      }
      return new Rendered(out.join(), stderr);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted: " + what, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static java.io.File nullFile() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL"
        : "/dev/null");
  }
}
