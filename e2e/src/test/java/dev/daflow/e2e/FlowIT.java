package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DatasetIngested;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.local.Services.Service;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingestion to HTTP prediction: ingest MNIST and USPS, request DANN MNIST->USPS, follow the job
 * to its promotion, classify USPS test pictures over HTTP, then look at the version's report and
 * a dataset's preview in headless Chromium ({@link BrowserCheck}).
 */
@ExtendWith(Platform.class)
@Order(1)
class FlowIT {
  static final String MODEL = "digits";

  @Test
  void fromIngestionToAnHttpPredictionFarAboveChance() throws Exception {
    Platform p = Platform.get();
    for (String name : new String[] {"mnist", "usps"}) {
      Http.Reply r = Http.post(p.url(Service.DATA, "/datasets/catalog/" + name),
          "application/json", new byte[0]);
      assertThat(r.status()).as(r.body()).isIn(200, 201);
      p.events.await(DatasetIngested.class, e -> e.dataset().equals(name), Duration.ofMinutes(1));
    }

    String job = "e2e-dann";
    p.publisher.publish(new TrainingRequested(job, MODEL, "dann", "mnist", "usps", "lenet", 2,
        64, null, null, "none", 1, 3000));

    TrainingStarted started = p.events.await(TrainingStarted.class, e -> e.jobId().equals(job),
        Duration.ofMinutes(2));
    assertThat(started.startEpoch()).isZero();
    p.events.await(TrainingProgress.class, e -> e.jobId().equals(job), Duration.ofMinutes(2));
    TrainingCompleted done = p.events.await(TrainingCompleted.class,
        e -> e.jobId().equals(job), Duration.ofMinutes(8));
    assertThat(p.events.all(EpochBundleSaved.class, e -> e.jobId().equals(job))).hasSize(2);
    // Published by the client user on its own requests topic: recorded as that Kafka user.
    assertThat(Http.get(p.url(Service.TRAINER, "/jobs/" + job)).json().path("requestedBy")
        .asText()).isEqualTo("kafka:daflow-client");
    ModelEvaluated evaluated = p.events.await(ModelEvaluated.class,
        e -> e.jobId().equals(job) && e.epoch() == 1, Duration.ofMinutes(3));
    assertThat(evaluated.source().accuracy()).isGreaterThan(0.8);
    ModelPromoted promoted = p.events.await(ModelPromoted.class,
        e -> e.jobId().equals(job), Duration.ofMinutes(3));
    // The default policy (source-val-accuracy) promotes the job's bundle or the epoch bundle it rates best.
    assertThat(promoted.bundleKey()).isIn(java.util.stream.Stream.concat(
        java.util.stream.Stream.of(done.bundleKey()),
        p.events.all(EpochBundleSaved.class, e -> e.jobId().equals(job)).stream()
            .map(EpochBundleSaved::bundleKey)).toList());
    assertThat(promoted.policy()).isEqualTo("source-val-accuracy");

    // The inference service swaps the promoted model in.
    FaultJobs.await("model ready", Duration.ofMinutes(2), Duration.ofMillis(500),
        () -> Http.get(p.url(Service.INFERENCE, "/v2/models/" + MODEL + "/ready")).status() == 200);

    // Classify USPS test pictures as a user would: PNG bytes over HTTP.
    ImageDataset test = new DatasetCatalog(p.datasets, Files.createTempDirectory("e2e-cache"))
        .load("usps", Split.TEST, 200);
    int correct = 0;
    for (int i = 0; i < test.count(); i++) {
      Http.Reply r = Http.post(p.url(Service.INFERENCE, "/v2/models/" + MODEL + "/classify"),
          "image/png", PictureFiles.png(test, i));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      if (r.json().get("label").asText().equals(test.classNames().get(test.labels()[i]))) {
        correct++;
      }
    }
    double accuracy = correct / (double) test.count();
    System.out.printf("e2e: USPS test accuracy over HTTP %.3f (%d pictures)%n", accuracy,
        test.count());
    assertThat(accuracy).as("chance is 0.1").isGreaterThan(0.6);

    lookAtTheReportAndThePreview(p, promoted.version());
  }

  /**
   * The promoted version's report and a dataset's preview, opened in headless Chromium as a person
   * would: no console error, every figure drawn, loaded in under a second from what is stored.
   * Screenshots go to {@code target/e2e-screenshots/}.
   */
  private static void lookAtTheReportAndThePreview(Platform p, int version) throws Exception {
    URI report = p.url(Service.EVALUATOR, "/models/" + MODEL + "/versions/" + version
        + "/report");
    // Made once after the promotion, on the evaluator's worker: 404 until it is stored.
    FaultJobs.await("report stored", Duration.ofMinutes(3), Duration.ofMillis(500), () -> {
      Http.Reply r = Http.get(report);
      assertThat(r.status()).as(r.body()).isIn(200, 404);
      return r.status() == 200;
    });
    Http.Reply page = Http.get(report);
    // DANN adapts from its first step: the distance before adaptation is measured on a named
    // reference (a registered source-only model of MNIST->USPS, else the input pixels).
    assertThat(page.body()).containsPattern("<b>Before adaptation</b>: reference <code>"
        + "(source-only-model|input-pixels)</code>").contains("<td>before adaptation (");
    // The report links to the datasets' previews on data-service; its card names the requester.
    assertThat(page.body()).contains("<th>requested by</th><td>kafka:daflow-client</td>",
        "href=\"" + p.url(Service.DATA, "/datasets/mnist/preview")
        + "\"", "href=\"" + p.url(Service.DATA, "/datasets/usps/preview") + "\"");
    Path shots = Path.of("target", "e2e-screenshots");
    try (BrowserCheck browser = new BrowserCheck()) {
      // accuracy, 2 confusion matrices, per-class, 2 epochs x 2 embeddings, proxy A-distance
      BrowserCheck.Result r = browser.check(report, 9, 3, shots.resolve("report.png"));
      // 10 classes x 8 pictures x 2 splits and the counts (the first view makes the preview)
      BrowserCheck.Result d = browser.check(p.url(Service.DATA, "/datasets/usps/preview"), 161,
          3, shots.resolve("preview-usps.png"));
      System.out.printf("e2e: report %d figures, loaded in %d ms; usps preview %d figures, "
          + "loaded in %d ms (fastest of 3 loads in headless Chromium)%n", r.figures(),
          r.loadMillis(), d.figures(), d.loadMillis());
      assertThat(r.loadMillis()).as("report load time, ms").isLessThan(1000);
      assertThat(d.loadMillis()).as("preview load time, ms").isLessThan(1000);
    }
  }
}
