package dev.daflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The DANN step against its PyTorch twin, side by side: {@code rounds} rounds, each running, in
 * each of two environments, the project's step of every network and then the twin, each in a
 * fresh process. The environments: this process's own (a user's shell), and the same with the
 * trainer's runtime settings added ({@code trainer-service/src/main/docker/trainer-runtime.env},
 * which the trainer's launchers and image apply), given to both sides alike. Writes the table
 * (min / median / max of each side, ratio of medians) into the marked section of {@code
 * docs/benchmarks.md} and prints {@code ratio lenet=R1 dann-svhn=R2} last: the ratios in the
 * trainer's environment.
 *
 * <p>Usage: {@code SpeedBenchmark OUT.md PEER_SCRIPT ROUNDS COMMAND_LINE ENV_FILE
 * [KEY=VALUE...]}: the settings of {@code ENV_FILE} as {@code KEY=VALUE} arguments ({@code
 * bench/speed.sh} reads them from the file).
 */
public final class SpeedBenchmark {
  static final String BEGIN = "<!-- step-speed: begin (bench/speed.sh writes this part) -->";
  static final String END = "<!-- step-speed: end -->";
  /**
   * Timed steps per network; the warm-up is three times as many (the twin's rule). lenet: 100,
   * so that both sides time their steady speed (DAFlow's lenet step was still speeding up
   * between steps 120 and 300, docs/performance.md).
   */
  static final Map<String, Integer> TIMED = Map.of("lenet", 100, "dann-svhn", 6);
  static final List<String> NETWORKS = List.of("lenet", "dann-svhn");

  /** One environment both sides run in: a name and the variables added to this process's. */
  record Environment(String name, Map<String, String> added) {}

  private SpeedBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = Path.of(args[0]);
    Path peer = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    String command = args[3];
    String envFile = args[4];
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 5; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("not a KEY=VALUE setting: " + args[i]);
      }
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    List<Environment> envs = List.of(new Environment("shell", Map.of()),
        new Environment("trainer", settings));
    String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)");
    // Keyed by environment name + " " + network.
    Map<String, List<Double>> ours = new LinkedHashMap<>();
    Map<String, List<Integer>> warm = new LinkedHashMap<>();
    Map<String, List<String>> warmCurves = new LinkedHashMap<>();
    Map<String, List<Double>> theirs = new LinkedHashMap<>();
    String peerNote = peerMissing(peer);
    for (int r = 1; r <= rounds; r++) {
      for (Environment env : envs) {
        for (String net : NETWORKS) {
          JsonNode j = lastJson(run(List.of(java(), "-Xmx6g", "-cp",
              System.getProperty("java.class.path"), StepSpeed.class.getName(), net,
              String.valueOf(TIMED.get(net))), env));
          String key = env.name() + " " + net;
          ours.computeIfAbsent(key, k -> new ArrayList<>()).add(j.get("img_s").asDouble());
          warm.computeIfAbsent(key, k -> new ArrayList<>()).add(j.get("steps_to_90").asInt());
          warmCurves.computeIfAbsent(key, k -> new ArrayList<>()).add(j.get("warmup_img_s")
              .toString());
          System.out.printf(Locale.ROOT, "round %d %s daflow %s: %.0f img/s, 90%% after %d "
              + "steps%n", r, env.name(), net, j.get("img_s").asDouble(),
              j.get("steps_to_90").asInt());
        }
        if (peerNote == null) {
          String t = threads.equals("(unset)") ? String.valueOf(
              Runtime.getRuntime().availableProcessors()) : threads;
          JsonNode j = lastJson(run(List.of("/usr/bin/python3", peer.toString(), "--threads",
              t, "--steps-lenet", String.valueOf(TIMED.get("lenet")), "--steps-svhn",
              String.valueOf(TIMED.get("dann-svhn"))), env));
          theirs.computeIfAbsent(env.name() + " lenet", k -> new ArrayList<>())
              .add(j.get("lenet_img_s").asDouble());
          theirs.computeIfAbsent(env.name() + " dann-svhn", k -> new ArrayList<>())
              .add(j.get("dann_svhn_img_s").asDouble());
          System.out.printf(Locale.ROOT, "round %d %s pytorch %s%n", r, env.name(), j);
        }
      }
    }

    StringBuilder md = new StringBuilder(BEGIN).append("\n## DANN training step speed\n\n");
    md.append("Made by `").append(command).append("` on ").append(LocalDate.now())
        .append(". Machine: ").append(Machine.describe()).append("; both sides with this "
            + "OMP_NUM_THREADS and with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.\n\n")
        .append("One DANN step (forward, backward, SGD with momentum) on 128 source + 128 target "
            + "pictures, in pictures per second; each side in a fresh process, three times as "
            + "many warm-up steps as timed steps (lenet 100 timed, dann-svhn 6), ")
        .append(rounds).append(" rounds, the two sides alternating. DAFlow: `StepSpeed` (the "
            + "trainer's `Steps.descend`); PyTorch: `../shared/anchors/same_nets.py`. Two "
            + "environments, each given to both sides: **shell**, the environment as launched "
            + "(a user's shell); **trainer**, the same plus the trainer's runtime settings"
            + " (`").append(envFile).append("`: ").append(settings.entrySet().stream()
                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(" ")))
        .append("), which DAFlow's launchers and trainer image apply. glibc's default "
            + "(dynamic) mmap threshold makes both sides map and zero fresh pages for their large "
            + "arrays on many steps; PyTorch's lenet figure is bimodal in the shell environment "
            + "for that reason (docs/performance.md).\n\n");
    md.append("| environment | network | DAFlow min / median / max | PyTorch min / median / max "
        + "| ratio of medians | DAFlow steps to 90% of its speed |\n|---|---|---|---|---|---|\n");
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (Environment env : envs) {
      for (String net : NETWORKS) {
        String key = env.name() + " " + net;
        double[] o = stats(ours.get(key));
        String peerCell = "not measured";
        String ratio = "-";
        if (theirs.containsKey(key)) {
          double[] p = stats(theirs.get(key));
          peerCell = cell(p);
          ratios.put(key, o[1] / p[1]);
          ratio = String.format(Locale.ROOT, "**%.2f**", o[1] / p[1]);
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", env.name(), net,
            cell(o), peerCell, ratio, warm.get(key)));
      }
    }
    md.append("\nDAFlow's first steps (up to 50) in windows of ").append(StepSpeed.WINDOW)
        .append(" steps, img/s, per round; \"steps to 90%\" is the first step at whose end the "
            + "last ").append(StepSpeed.WINDOW).append(" ran at 90% of the timed speed (-1: none "
            + "in the run, lenet 400 steps, dann-svhn 24):\n\n");
    for (String key : warmCurves.keySet()) {
      md.append("- ").append(key).append(": ").append(String.join(", ", warmCurves.get(key)))
          .append("\n");
    }
    if (peerNote != null) {
      md.append("\nPyTorch: not measured, ").append(peerNote).append(".\n");
    }
    md.append(END).append("\n");
    write(out, md.toString());
    System.out.println("wrote " + out);
    for (Environment env : envs) {
      StringBuilder line = new StringBuilder("ratio");
      for (String net : NETWORKS) {
        String key = env.name() + " " + net;
        line.append(' ').append(net).append('=').append(ratios.containsKey(key)
            ? String.format(Locale.ROOT, "%.2f", ratios.get(key)) : "none");
      }
      // The trainer's environment last: the line bench/speed.sh's callers read.
      System.out.println(env.name().equals("trainer") ? line : line + " (" + env.name() + ")");
    }
  }

  /** Replaces the marked section of {@code out}, or appends it. */
  static void write(Path out, String section) throws IOException {
    String old = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n\n";
    Files.writeString(out, replaceSection(old, section));
  }

  /** {@code text} with its marked section replaced by {@code section} (appended if none). */
  static String replaceSection(String text, String section) {
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b >= 0 && e > b) {
      int after = e + END.length();
      if (after < text.length() && text.charAt(after) == '\n') {
        after++;
      }
      return text.substring(0, b) + section + text.substring(after);
    }
    return text + (text.endsWith("\n\n") ? "" : "\n") + section;
  }

  /** The marked section of {@code text}, or null. */
  static String section(String text) {
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    return b >= 0 && e > b ? text.substring(b, e + END.length()) + "\n" : null;
  }

  private static String peerMissing(Path peer) throws InterruptedException {
    if (!Files.isRegularFile(peer)) {
      return "its script " + peer + " is not there";
    }
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0 ? null : "/usr/bin/python3 cannot import torch (see "
          + "../shared/anchors/README: python3-torch and libopenblas0-pthread)";
    } catch (IOException e) {
      return "/usr/bin/python3 is not there";
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String run(List<String> command, Environment env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env.added());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private static JsonNode lastJson(String output) throws IOException {
    String[] lines = output.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("{")) {
        return new ObjectMapper().readTree(lines[i]);
      }
    }
    throw new IOException("no JSON line in:\n" + output);
  }

  /** min, median, max. */
  static double[] stats(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2])
        / 2;
    return new double[] {v[0], median, v[v.length - 1]};
  }

  private static String cell(double[] s) {
    return String.format(Locale.ROOT, "%.0f / **%.0f** / %.0f", s[0], s[1], s[2]);
  }
}
