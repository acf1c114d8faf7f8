package dev.daflow.cli;

import dev.daflow.contract.Method;
import dev.daflow.contract.Tuning;
import dev.daflow.ml.eval.EvaluationReport;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.TrainingCancelledException;
import dev.daflow.ml.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow local train}: trains a classifier on a labelled source dataset, adapting it to an
 * unlabelled target dataset, evaluates it on both test splits and writes a model bundle.
 *
 * <p>Ctrl-C stops training after the current step; with {@code --checkpoints} the same command
 * resumes from the last finished epoch.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    resourceBundle = "dev.daflow.cli.TrainingHelp",
    description = "Train a domain-adapted classifier and write a model bundle.")
final class TrainCommand extends DaflowCommand {

  @Option(names = "--method", required = true, paramLabel = "METHOD",
      converter = Converters.MethodConverter.class,
      description = "${bundle:methods} (docs/methods.md).")
  Method method;

  @Option(names = "--source", required = true, paramLabel = "DATASET",
      converter = Converters.DatasetConverter.class,
      description = "Labelled source dataset: mnist, usps, svhn, mnist64, mnist64-bg.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "DATASET",
      converter = Converters.DatasetConverter.class,
      description = "Unlabelled target dataset (its test labels are only used for the report).")
  String target;

  @Mixin
  TrainingOptions training;

  @Option(names = "--checkpoints", paramLabel = "DIR",
      description = "Write a checkpoint after every epoch and resume from the latest one.")
  Path checkpoints;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the model bundle.")
  Path out;

  @Mixin
  DatasetOptions datasets;

  /** The training configuration the options describe (ml-core's one mapping of options). */
  TrainingConfig config() {
    return training.config(method, source, target);
  }

  @Override
  int execute() throws Exception {
    PrintWriter out = out();
    TrainingConfig config = config();
    JobSpec job = new JobSpec(source, target, config, training.trainLimit(method));
    if (Files.isDirectory(this.out)) {
      throw new IllegalArgumentException("--out " + this.out + " is a folder; give a file name");
    }
    if (training.pretrainEpochs != null && !method.usesPretraining()) {
      err().println("daflow: warning: --pretrain-epochs only applies to "
          + Method.pretrainingText() + "; ignored");
    }
    String ignored = training.ignoredTuning(method);
    if (ignored != null) {
      err().println("daflow: warning: " + ignored + "; ignored");
    }
    out.printf(Locale.ROOT, "training %s (%s) %s -> %s, %d epochs, batch %d, lr %s, seed %d%s%n",
        method.id(), config.network(), source, target, config.totalEpochs(), config.batchSize(),
        config.learningRate(), config.seed(), describe(config.tuning()));
    out.flush();

    ProgressListener progress = new ProgressListener(out, err(), System.console() != null);
    CancellationToken cancel = new CancellationToken();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      cancel.cancel();
      try {
        // Let the training thread stop at its next step and say where to resume.
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "daflow-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
    JobResult result;
    try {
      result = new JobRunner(datasets.catalog()).run(job, progress, cancel, checkpoints);
    } catch (TrainingCancelledException e) {
      progress.close();
      out.println();
      out.printf("training interrupted during epoch %d.%n", e.epoch() + 1);
      if (progress.lastCheckpoint() != null) {
        out.printf("last checkpoint: %s; run the same command again to resume from it.%n",
            progress.lastCheckpoint());
      } else if (checkpoints != null) {
        out.printf("no epoch finished yet, so %s holds no new checkpoint; run the same command"
            + " again to resume from the latest one there, if any.%n", checkpoints);
      } else {
        out.println("no checkpoints were written (use --checkpoints DIR to make a run resumable).");
      }
      out.flush();
      return DaflowCli.EXIT_INTERRUPTED;
    } catch (ArithmeticException e) {
      // The trainer's NaN/infinity guard: a hyperparameter problem, not a bug.
      throw new IllegalStateException(e.getMessage() + "; try a lower --lr", e);
    } finally {
      progress.close();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: nothing to remove.
      }
    }

    ModelBundle.save(result.model(), this.out);
    print(out, "source", result.sourceTest());
    print(out, "target", result.targetTest());
    out.printf(Locale.ROOT, "trained in %.1f s (%.0f img/s)%n", result.training().seconds(),
        result.training().imagesPerSecond());
    out.println("model written to " + this.out.toAbsolutePath());
    return 0;
  }

  /** The tuning where it departs from the papers' recipe, e.g. {@code , clip 5.0}; else empty. */
  static String describe(Tuning t) {
    StringBuilder sb = new StringBuilder();
    if (t.solver() != Tuning.DEFAULT.solver()) {
      sb.append(", ").append(t.solver().id());
    }
    if (t.clipNorm() != Tuning.DEFAULT.clipNorm()) {
      sb.append(", clip ").append(t.clipNorm());
    }
    if (t.lambdaMax() != Tuning.DEFAULT.lambdaMax()) {
      sb.append(", lambda max ").append(t.lambdaMax());
    }
    if (t.classWeighting()) {
      sb.append(", class weights");
    }
    if (t.domainLearningRateScale() != Tuning.DEFAULT.domainLearningRateScale()) {
      sb.append(", domain lr x").append(t.domainLearningRateScale());
    }
    return sb.toString();
  }

  private static void print(PrintWriter out, String role, EvaluationReport r) {
    out.printf(Locale.ROOT, "%s %s accuracy %.4f (%d pictures)%n", role, r.dataset(),
        r.accuracy(), r.count());
  }
}
