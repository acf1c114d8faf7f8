package dev.daflow.cli;

import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.TrainingRequested;
import dev.daflow.local.Services.Service;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow demo}: the main job, the whole flow on a platform of its own. Starts the local
 * stack and the four services under {@code runs/demo} (fresh data each run), ingests MNIST and
 * USPS, requests DANN MNIST -> USPS, follows the job with a progress bar to its evaluation and
 * promotion, waits until inference-service serves the model, classifies USPS test pictures sent
 * as PNG over HTTP, prints the accuracy, and stops everything. Exit code 0 only when that
 * accuracy is above {@value #PASS_ACCURACY}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The whole flow on a local platform of its own: start Kafka, S3 and the four"
        + " services, ingest MNIST and USPS, train DANN MNIST->USPS (progress bar), evaluate,"
        + " promote, classify USPS test pictures over HTTP, print the accuracy, stop.",
        "Exit code 0 only if the accuracy is above 0.5. Deletes ROOT/data and ROOT/logs of an"
            + " earlier demo first."})
final class DemoCommand extends DaflowCommand {
  /** How long the demo waits for the model report evaluator-service makes after a promotion. */
  static final Duration REPORT_WAIT = Duration.ofMinutes(5);

  /** The accuracy over HTTP the demo must beat (chance is 0.1). */
  static final double PASS_ACCURACY = 0.5;
  static final String SOURCE = "mnist";
  static final String TARGET = "usps";

  @Option(names = "--root", paramLabel = "DIR",
      description = "The demo platform's folder. Default: runs/demo in the repository.")
  Path root;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
      description = "Training epochs. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
      description = "Training pictures per domain, 0 = all (60,000 MNIST, 7,291 USPS)."
          + " Default: ${DEFAULT-VALUE}.")
  int trainLimit;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128",
      description = "Pictures per domain per step. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Training seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--model", paramLabel = "NAME", defaultValue = "digits",
      converter = Converters.NameConverter.class,
      description = "The model's name. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--pictures", paramLabel = "N", defaultValue = "200",
      description = "USPS test pictures to classify over HTTP. Default: ${DEFAULT-VALUE}.")
  int pictures;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60m",
      converter = Converters.DurationConverter.class,
      description = "Give up on the training job after this long. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Mixin
  DatasetOptions datasets;

  /** The root in use. */
  Path root() {
    return (root != null ? root : Repository.resolve("runs/demo")).toAbsolutePath().normalize();
  }

  /** The training request of the demo. */
  TrainingRequested request(String jobId) {
    return new TrainingRequested(jobId, model, "dann", SOURCE, TARGET, "lenet", epochs,
        batchSize, null, null, "none", seed, trainLimit).requireValid();
  }

  @Override
  int execute() throws Exception {
    if (pictures < 1) {
      throw new IllegalArgumentException("--pictures must be >= 1, got " + pictures);
    }
    long t0 = System.nanoTime();
    PrintWriter out = out();
    Path mirror = datasets.mirror();
    Path dir = root();
    String jobId = TrainRequestCommand.newJobId("dann", SOURCE, TARGET, Instant.now());
    TrainingRequested request = request(jobId);
    out.printf(Locale.ROOT, "daflow demo: DANN %s -> %s on a local platform under %s%n", SOURCE,
        TARGET, dir);
    // The test pictures first: a missing dataset folder fails here, before anything starts.
    Path cache = datasets.cache != null ? datasets.cache : DatasetCatalog.defaultCache();
    ImageDataset test = new DatasetCatalog(mirror, cache).load(TARGET, Split.TEST, pictures);
    clean(dir);

    step(out, 1, "start the platform");
    try (LocalPlatform platform = LocalPlatform.start(dir, mirror, datasets.cache, out)) {
      step(out, 2, "ingest " + SOURCE + " and " + TARGET);
      ingest(platform, List.of(SOURCE, TARGET), out);

      step(out, 3, String.format(Locale.ROOT, "train: job %s, dann %s -> %s, lenet, %d epochs,"
          + " batch %d, %s pictures per domain, seed %d, model %s", jobId, SOURCE, TARGET, epochs,
          batchSize, trainLimit == 0 ? "all" : String.valueOf(trainLimit), seed, model));
      TrainRequestCommand.publish(platform.kafka(), request);
      JobProgress.Outcome outcome = JobWatcher.follow(platform.kafka(), jobId, timeout,
          JobWatcher.DEFAULT_PROMOTION_WAIT, out, err(), System.console() != null);
      if (outcome.status() != JobProgress.Status.COMPLETED) {
        throw new IllegalStateException("the training job did not complete: "
            + outcome.reason() + " (logs in " + dir.resolve("logs") + ")");
      }
      if (outcome.promoted() == null) {
        throw new IllegalStateException("the trained model was not promoted (see "
            + dir.resolve("logs/evaluator-service.log") + ")");
      }

      step(out, 4, "serve: wait until inference-service serves " + model);
      ServiceClient inference = platform.client(Service.INFERENCE,
          Duration.ofSeconds(60));
      awaitReady(inference, Duration.ofMinutes(3));
      out.printf(Locale.ROOT, "  %s version %d is served at %sv2/models/%s%n", model,
          outcome.promoted().version(), inference.base(), model);

      step(out, 5, "classify " + pictures + " USPS test pictures as PNG over HTTP");
      double accuracy = classify(inference, test, out);
      ModelEvaluated eval = outcome.evaluation();
      if (eval != null && eval.target() != null) {
        out.printf(Locale.ROOT, "  (evaluator-service: %s accuracy %.4f over %d pictures)%n",
            eval.target().dataset(), eval.target().accuracy(), eval.target().count());
      }

      step(out, 6, "save the model report and the datasets' previews under "
          + dir.resolve("report"));
      saveReport(platform, outcome.promoted().version(), dir.resolve("report"), out);

      step(out, 7, "stop the platform");
      out.flush();
      platform.close();
      boolean pass = accuracy > PASS_ACCURACY;
      out.printf(Locale.ROOT, "demo %s in %.1f min: USPS accuracy over HTTP %.4f (%s %.1f);"
          + " logs in %s%n", pass ? "passed" : "FAILED", (System.nanoTime() - t0) / 60e9,
          accuracy, pass ? "above" : "not above", PASS_ACCURACY, dir.resolve("logs"));
      return pass ? 0 : 1;
    }
  }

  private static void step(PrintWriter out, int n, String what) {
    out.printf(Locale.ROOT, "[%d/7] %s%n", n, what);
    out.flush();
  }

  /**
   * Removes the data and logs of an earlier demo under {@code dir}, so each demo starts from an
   * empty object store (version 1 of the model, ingestion included).
   */
  static void clean(Path dir) throws IOException {
    if (Files.exists(dir.resolve("stack.env"))) {
      throw new IllegalStateException(dir.resolve("stack.env") + " exists: another demo seems to"
          + " run under " + dir + " (if not, delete that file)");
    }
    for (String sub : new String[] {"data", "logs"}) {
      Path p = dir.resolve(sub);
      if (Files.exists(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.sorted(Comparator.reverseOrder()).forEach(f -> {
            try {
              Files.delete(f);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot delete " + f, e);
            }
          });
        }
      }
    }
  }

  /** Ingests the datasets (data-service answers once each is stored). */
  static void ingest(LocalPlatform platform, List<String> names, PrintWriter out)
      throws Exception {
    ServiceClient data = platform.client(Service.DATA, Duration.ofMinutes(10));
    for (String name : names) {
      long t = System.nanoTime();
      String line = IngestCommand.ingest(data, name);
      out.printf(Locale.ROOT, "  %s, %.1f s%n", line, (System.nanoTime() - t) / 1e9);
      out.flush();
    }
  }

  private void awaitReady(ServiceClient inference, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String path = "v2/models/" + ServiceClient.segment(model) + "/ready";
    while (inference.get(path).status() != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("inference-service did not serve " + model + " within "
            + timeout.toMinutes() + " min (GET /" + path + ")");
      }
      Thread.sleep(500);
    }
  }

  /**
   * Saves the promoted version's model report (made once after the promotion: waited for) and
   * the previews of both datasets, each one HTML file with its pictures inside.
   */
  private void saveReport(LocalPlatform platform, int version, Path folder, PrintWriter out)
      throws Exception {
    ServiceClient evaluator = platform.client(Service.EVALUATOR, Duration.ofSeconds(60));
    Path report = Pages.await(evaluator, "models/" + ServiceClient.segment(model) + "/versions/"
        + version + "/report", folder.resolve(model + "-v" + version + "-report.html"),
        REPORT_WAIT);
    Pages.announce(out, report, false);
    // A preview is made from every picture on its first view: minutes for MNIST's 70,000.
    ServiceClient data = platform.client(Service.DATA, Duration.ofMinutes(5));
    for (String name : List.of(SOURCE, TARGET)) {
      Pages.announce(out, Pages.save(data, "datasets/" + name + "/preview",
          folder.resolve(name + "-preview.html"), "data-service has no dataset " + name), false);
    }
  }

  /** Classifies each picture over HTTP; prints a few and the accuracy; returns the accuracy. */
  private double classify(ServiceClient inference, ImageDataset test, PrintWriter out)
      throws Exception {
    int correct = 0;
    long t = System.nanoTime();
    for (int i = 0; i < test.count(); i++) {
      String truth = test.classNames().get(test.labels()[i]);
      ClassifyCommand.Result r = ClassifyCommand.classify(inference, model,
          PictureFiles.png(test, i), "image/png");
      if (r.label().equals(truth)) {
        correct++;
      }
      if (i < 5) {
        out.printf(Locale.ROOT, "  picture %d: true %s, predicted %s (%.4f, %s v%d)%n", i, truth,
            r.label(), r.probability(), model, r.version());
        out.flush();
      }
    }
    double ms = (System.nanoTime() - t) / 1e6 / test.count();
    double accuracy = correct / (double) test.count();
    out.printf(Locale.ROOT, "  accuracy %.4f (%d/%d correct, %.1f ms per picture)%n", accuracy,
        correct, test.count(), ms);
    out.flush();
    return accuracy;
  }
}
