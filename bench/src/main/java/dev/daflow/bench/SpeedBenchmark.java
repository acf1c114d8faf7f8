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

/**
 * The DANN step against its PyTorch twin, side by side: {@code rounds} rounds, each running the
 * project's step of every network and then the twin, each in a fresh process under this
 * process's environment. Writes the table (min / median / max of each side, ratio of medians)
 * into the marked section of {@code docs/benchmarks.md} and prints {@code ratio lenet=R1
 * dann-svhn=R2} last.
 *
 * <p>Usage: {@code SpeedBenchmark OUT.md PEER_SCRIPT ROUNDS COMMAND_LINE}.
 */
public final class SpeedBenchmark {
  static final String BEGIN = "<!-- step-speed: begin (bench/speed.sh writes this part) -->";
  static final String END = "<!-- step-speed: end -->";
  /** Timed steps per network; the warm-up is three times as many (the twin's rule). */
  static final Map<String, Integer> TIMED = Map.of("lenet", 40, "dann-svhn", 6);
  static final List<String> NETWORKS = List.of("lenet", "dann-svhn");

  private SpeedBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = Path.of(args[0]);
    Path peer = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    String command = args[3];
    String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)");
    Map<String, List<Double>> ours = new LinkedHashMap<>();
    Map<String, List<Integer>> warm = new LinkedHashMap<>();
    Map<String, List<String>> warmCurves = new LinkedHashMap<>();
    Map<String, List<Double>> theirs = new LinkedHashMap<>();
    String peerNote = peerMissing(peer);
    for (int r = 1; r <= rounds; r++) {
      for (String net : NETWORKS) {
        JsonNode j = lastJson(run(List.of(java(), "-Xmx6g", "-cp",
            System.getProperty("java.class.path"), StepSpeed.class.getName(), net,
            String.valueOf(TIMED.get(net)))));
        ours.computeIfAbsent(net, k -> new ArrayList<>()).add(j.get("img_s").asDouble());
        warm.computeIfAbsent(net, k -> new ArrayList<>()).add(j.get("steps_to_90").asInt());
        warmCurves.computeIfAbsent(net, k -> new ArrayList<>()).add(j.get("warmup_img_s")
            .toString());
        System.out.printf(Locale.ROOT, "round %d daflow %s: %.0f img/s, 90%% after %d steps%n", r,
            net, j.get("img_s").asDouble(), j.get("steps_to_90").asInt());
      }
      if (peerNote == null) {
        String t = threads.equals("(unset)") ? String.valueOf(
            Runtime.getRuntime().availableProcessors()) : threads;
        JsonNode j = lastJson(run(List.of("/usr/bin/python3", peer.toString(), "--threads", t)));
        theirs.computeIfAbsent("lenet", k -> new ArrayList<>()).add(j.get("lenet_img_s")
            .asDouble());
        theirs.computeIfAbsent("dann-svhn", k -> new ArrayList<>()).add(j.get("dann_svhn_img_s")
            .asDouble());
        System.out.printf(Locale.ROOT, "round %d pytorch %s%n", r, j);
      }
    }

    StringBuilder md = new StringBuilder(BEGIN).append("\n## DANN training step speed\n\n");
    md.append("Made by `").append(command).append("` on ").append(LocalDate.now())
        .append(". Machine: ").append(Machine.describe()).append("; both sides with this "
            + "OMP_NUM_THREADS and with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.\n\n")
        .append("One DANN step (forward, backward, SGD with momentum) on 128 source + 128 target "
            + "pictures, in pictures per second; each side in a fresh process, three times as "
            + "many warm-up steps as timed steps (lenet 40 timed, dann-svhn 6), ")
        .append(rounds).append(" rounds, the two sides alternating. DAFlow: `StepSpeed` (the "
            + "trainer's `Steps.descend`); PyTorch: `../shared/anchors/same_nets.py`.\n\n");
    md.append("| network | DAFlow min / median / max | PyTorch min / median / max | ratio of "
        + "medians | DAFlow steps to 90% of its speed |\n|---|---|---|---|---|\n");
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String net : NETWORKS) {
      double[] o = stats(ours.get(net));
      String peerCell = "not measured";
      String ratio = "-";
      if (theirs.containsKey(net)) {
        double[] p = stats(theirs.get(net));
        peerCell = cell(p);
        ratios.put(net, o[1] / p[1]);
        ratio = String.format(Locale.ROOT, "**%.2f**", o[1] / p[1]);
      }
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", net, cell(o), peerCell,
          ratio, warm.get(net)));
    }
    md.append("\nDAFlow's first steps (up to 50) in windows of ").append(StepSpeed.WINDOW)
        .append(" steps, img/s, per round; \"steps to 90%\" is the first step at whose end the "
            + "last ").append(StepSpeed.WINDOW).append(" ran at 90% of the timed speed (-1: none "
            + "in the run, lenet 160 steps, dann-svhn 24):\n\n");
    for (String net : NETWORKS) {
      md.append("- ").append(net).append(": ").append(String.join(", ", warmCurves.get(net)))
          .append("\n");
    }
    if (peerNote != null) {
      md.append("\nPyTorch: not measured, ").append(peerNote).append(".\n");
    }
    md.append(END).append("\n");
    write(out, md.toString());
    System.out.println("wrote " + out);
    StringBuilder last = new StringBuilder("ratio");
    for (String net : NETWORKS) {
      last.append(' ').append(net).append('=').append(ratios.containsKey(net)
          ? String.format(Locale.ROOT, "%.2f", ratios.get(net)) : "none");
    }
    System.out.println(last);
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

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
