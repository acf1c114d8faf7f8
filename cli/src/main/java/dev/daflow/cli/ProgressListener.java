package dev.daflow.cli;

import dev.daflow.ml.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: one progress bar per epoch on stderr (task {@code epoch 1/5 adapt},
 * losses, lambda, learning rate and pictures per second as its message) and one summary line per
 * finished epoch on stdout. Without a console the bar is plain ASCII, one line per update.
 */
final class ProgressListener implements TrainingListener {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean console;
  private final Map<String, Integer> steps = new HashMap<>();
  private int totalEpochs;
  private ProgressBar bar;
  private int barEpoch = -1;
  private volatile Path lastCheckpoint;

  ProgressListener(PrintWriter out, PrintWriter err, boolean console) {
    this.out = out;
    this.err = err;
    this.console = console;
  }

  @Override
  public void onStart(Plan plan) {
    steps.putAll(plan.stepsPerEpoch());
    totalEpochs = plan.totalEpochs();
    if (plan.startEpoch() > 0) {
      out.printf(Locale.ROOT, "resuming at epoch %d/%d from the last checkpoint%n",
          plan.startEpoch() + 1, totalEpochs);
    }
    out.printf(Locale.ROOT, "%d epochs, steps per epoch: %s%n", totalEpochs,
        plan.stepsPerEpoch());
    out.flush();
  }

  @Override
  public void onIteration(Iteration it) {
    if (bar == null || barEpoch != it.epoch()) {
      closeBar();
      bar = newBar(taskName(it.epoch(), it.phase()), steps.getOrDefault(it.phase(), 0), console,
          err);
      barEpoch = it.epoch();
    }
    bar.stepTo(it.step() + 1L);
    bar.setExtraMessage(String.format(Locale.ROOT, "%s lambda %.3f lr %.2e %.0f img/s",
        losses(it.losses()), it.lambda(), it.learningRate(), it.imagesPerSecond()));
  }

  @Override
  public void onEpochEnd(Epoch e) {
    closeBar();
    if (e.checkpoint() != null) {
      lastCheckpoint = e.checkpoint();
    }
    out.printf(Locale.ROOT, "%s: %s, %.1f s, %.0f img/s%s%n", taskName(e.epoch(), e.phase()),
        losses(e.meanLosses()), e.seconds(), e.imagesPerSecond(),
        e.checkpoint() == null ? "" : ", checkpoint " + e.checkpoint());
    out.flush();
  }

  /** Ends a bar left open by an interrupted epoch. */
  void close() {
    closeBar();
  }

  /** The checkpoint of the last finished epoch, or null. */
  Path lastCheckpoint() {
    return lastCheckpoint;
  }

  private String taskName(int epoch, String phase) {
    return "epoch " + (epoch + 1) + "/" + totalEpochs + " " + phase;
  }

  static String losses(Map<String, Double> losses) {
    return losses.entrySet().stream()
        .map(en -> String.format(Locale.ROOT, "%s %.3f", en.getKey(), en.getValue()))
        .collect(Collectors.joining(" "));
  }

  /**
   * A progress bar: on a console, a coloured one on stderr redrawn in place; else plain ASCII on
   * {@code err}, one line per update (at most every 5 s).
   */
  static ProgressBar newBar(String task, long max, boolean console, PrintWriter err) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
        .setUpdateIntervalMillis(console ? 200 : 5000);
    if (console) {
      b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
    } else {
      // One line per update; the library renders the final state twice when the bar closes.
      String[] last = {null};
      b.setStyle(ProgressBarStyle.ASCII).setConsumer(new DelegatingProgressBarConsumer(line -> {
        if (!line.equals(last[0])) {
          err.println(line);
          err.flush();
          last[0] = line;
        }
      }, 160));
    }
    return b.build();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
      barEpoch = -1;
    }
  }
}
