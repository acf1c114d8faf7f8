package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.events.DatasetIngested;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.ModelPromotionDeclined;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.local.Services.Service;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFiles;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's faults 1-3 on the real platform, one platform start for all: the S3 server killed
 * for {@value #OUTAGE_SECONDS} s during (a) a dataset upload, (b) a checkpoint upload and (c) an
 * evaluation, (d) a model load in inference; the Kafka broker stopped for {@value
 * #OUTAGE_SECONDS} s mid-job and started again on its data (fault 1); the evaluator killed
 * (SIGKILL) mid-evaluation (fault 3). Each waits and retries with back-off, readiness says so,
 * nothing half-written is visible, and everything completes once, after. One training job
 * ({@value #JOB}) lives through faults 1, 2b, 2c and 3, in that order. What each fault cost is
 * printed ({@code outages:} lines) for docs/reliability.md.
 */
@ExtendWith(Platform.class)
@Order(6)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutagesIT {
  static final int OUTAGE_SECONDS = 30;
  static final Duration OUTAGE = Duration.ofSeconds(OUTAGE_SECONDS);
  static final String JOB = "e2e-outages";
  static final String MODEL = "digits-outages";
  static final int EPOCHS = 6;

  // ---- fault 2a

  @Test
  @Order(1)
  void s3DownDuringADatasetUploadIsWaitedOutAndNothingHalfWrittenIsVisible() throws Exception {
    Platform p = Platform.get();
    // When the whole suite runs MNIST is stored already: deleted, to be stored through an outage.
    Http.Reply deleted = Http.delete(p.url(Service.DATA, "/datasets/mnist"));
    assertThat(deleted.status()).as(deleted.body()).isIn(200, 204, 404);
    int before = p.events.all(DatasetIngested.class, e -> e.dataset().equals("mnist")).size();
    Path folder = p.stack.s3().objects().resolve(p.stack.storage().buckets().datasets())
        .resolve("datasets").resolve("mnist");
    CompletableFuture<Http.Reply> ingest = CompletableFuture.supplyAsync(
        () -> post(p.url(Service.DATA, "/datasets/catalog/mnist")));
    // The first of MNIST's 5 shards stored: the store goes away in the middle of the upload.
    FaultJobs.await("a first MNIST shard stored", Duration.ofMinutes(2), Duration.ofMillis(5),
        () -> Files.exists(folder.resolve("train").resolve("shard-00000.bin")) || ingest.isDone());
    assertThat(ingest).as("still uploading when the store goes away").isNotDone();
    Instant down = stopS3(p);
    assertThat(folder.resolve("manifest.json")).as("the outage came before the manifest")
        .doesNotExist();
    awaitCheck(p, Service.DATA, "object-store", false);
    holdUntil(down.plus(OUTAGE), () -> assertThat(ingest).as("waits, does not fail")
        .isNotDone());
    Instant up = startS3(p);
    Http.Reply r = ingest.get(5, TimeUnit.MINUTES);
    Instant done = Instant.now();
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    awaitCount(p, DatasetIngested.class, e -> e.dataset().equals("mnist"), before + 1,
        Duration.ofMinutes(1));
    assertThat(logLines(p.services.get(Service.DATA).process().logFile(),
        "mnist: storing paused")).as("data-service waited the store out").isPositive();

    // Nothing half-written: the manifest names every stored shard, each as it was stored, and
    // nothing of the broken try is left.
    try (ObjectStore store = new ObjectStore(p.stack.storage())) {
      DatasetManifest m = new DatasetStore(store).manifest("mnist").orElseThrow();
      Set<String> named = new HashSet<>();
      for (DatasetManifest.SplitEntry split : m.splits().values()) {
        for (DatasetManifest.Shard shard : split.shards()) {
          named.add(shard.key());
          assertThat(store.stat(shard.key()).sha256()).as(shard.key()).isEqualTo(shard.sha256());
        }
      }
      Set<String> stored = store.list(ObjectKeys.datasetPrefix("mnist")).stream()
          .map(ObjectSummary::key).filter(k -> k.endsWith(".bin")).collect(Collectors.toSet());
      assertThat(stored).as("no shard without the manifest naming it").isEqualTo(named);
    }
    Http.Reply usps = Http.post(p.url(Service.DATA, "/datasets/catalog/usps"),
        "application/json", new byte[0]);
    assertThat(usps.status()).as(usps.body()).isIn(200, 201);
    p.events.await(DatasetIngested.class, e -> e.dataset().equals("usps"), Duration.ofMinutes(1));
    report("2a S3 down during a dataset upload (MNIST, 5 shards)", down, up, done);
  }

  // ---- fault 1

  @Test
  @Order(2)
  void brokerDownMidJobAndTheConsumersReconnectByThemselves() throws Exception {
    Platform p = Platform.get();
    p.publisher.publish(new TrainingRequested(JOB, MODEL, "source-only", "mnist", "usps",
        "lenet", EPOCHS, 64, null, null, "none", 7, 3_000));
    p.events.await(EpochBundleSaved.class, e -> e.jobId().equals(JOB), Duration.ofMinutes(5));
    long pausesBefore = trainerPauses(p);

    Instant down = Instant.now();
    p.stack.kafka().stop();
    System.out.printf("outages: broker stopped (%d ms to stop)%n", millisSince(down));
    awaitCheck(p, Service.EVALUATOR, "kafka", false);
    awaitCheck(p, Service.TRAINER, "kafka", false);
    holdUntil(down.plus(OUTAGE), () -> { });
    Instant up = Instant.now();
    p.stack.kafka().restart();
    System.out.printf("outages: broker started again on its data (%d ms)%n", millisSince(up));

    // The consumers reconnect by themselves: every service's Kafka check is UP again.
    for (Service s : Service.values()) {
      awaitCheck(p, s, "kafka", true);
    }
    int last = lastEpoch(p);
    // The job goes on past the outage: a new epoch announced (the tests' event log reconnected
    // by itself too).
    EpochBundleSaved next = p.events.await(EpochBundleSaved.class,
        e -> e.jobId().equals(JOB) && e.epoch() > last, Duration.ofMinutes(5));
    Instant done = Instant.now();
    // Whether the trainer paused depends on when its publication's 30 s timeout fell; either
    // way it went on by itself.
    System.out.printf("outages: after the broker's restart epoch %d announced (the trainer "
        + "paused %d times)%n", next.epoch(), trainerPauses(p) - pausesBefore);
    report("1 Kafka broker down mid-job", down, up, done);
  }

  // ---- faults 2b and 2c

  @Test
  @Order(3)
  void s3DownDuringACheckpointUploadAndAnEvaluation() throws Exception {
    Platform p = Platform.get();
    int last = lastEpoch(p);
    // A new epoch announced: the evaluator starts on it, the trainer on the next epoch, whose
    // checkpoint upload comes within seconds.
    EpochBundleSaved saved = p.events.await(EpochBundleSaved.class,
        e -> e.jobId().equals(JOB) && e.epoch() > last, Duration.ofMinutes(5));
    long pausesBefore = trainerPauses(p);
    long waitsBefore = evaluatorWaits(p);
    Instant down = stopS3(p);
    assertThat(p.events.all(ModelEvaluated.class, e -> e.jobId().equals(JOB)
        && e.epoch() == saved.epoch() && e.artifact().equals("checkpoint")))
        .as("epoch %d not evaluated yet when the store goes away", saved.epoch()).isEmpty();
    assertThat(p.events.all(TrainingCompleted.class, e -> e.jobId().equals(JOB))).isEmpty();
    awaitCheck(p, Service.TRAINER, "object-store", false);
    awaitCheck(p, Service.EVALUATOR, "object-store", false);
    holdUntil(down.plus(OUTAGE), () -> { });
    // At least the outage, and until the next checkpoint's upload and the evaluation met it
    // (an epoch or an evaluation slower than the outage on a busy machine).
    FaultJobs.await("the trainer's checkpoint upload and the evaluation meeting the outage",
        Duration.ofMinutes(3), Duration.ofMillis(200),
        () -> trainerPauses(p) > pausesBefore && evaluatorWaits(p) > waitsBefore);
    long evaluatorWaits = evaluatorWaits(p) - waitsBefore;
    Instant up = startS3(p);

    ModelEvaluated evaluated = p.events.await(ModelEvaluated.class, e -> e.jobId().equals(JOB)
        && e.epoch() == saved.epoch() && e.artifact().equals("checkpoint"),
        Duration.ofMinutes(5));
    Instant evaluatedAt = Instant.now();
    assertThat(evaluated.target().accuracy()).isGreaterThan(0.1);
    assertThat(evaluatorWaits).as("the evaluator met the outage and waited").isPositive();
    // The checkpoint upload of the next epoch (or the final bundle's) failed: the job paused
    // and, once the store answered, went on from its last checkpoint.
    assertThat(trainerPauses(p)).as("the trainer paused on the outage").isGreaterThan(
        pausesBefore);
    FaultJobs.await("the job going on after the store's outage", Duration.ofMinutes(5),
        Duration.ofMillis(200), () -> lastEpoch(p) > saved.epoch()
            || !p.events.all(TrainingCompleted.class, e -> e.jobId().equals(JOB)).isEmpty());
    Instant trainedAt = Instant.now();
    System.out.printf("outages: after the store's restart epoch %d evaluated, epoch %d saved%n",
        saved.epoch(), lastEpoch(p));
    report("2c S3 down during an evaluation (epochs up to " + saved.epoch() + ")", down, up,
        evaluatedAt);
    report("2b S3 down during a checkpoint upload (epoch " + (saved.epoch() + 1) + ")", down, up,
        trainedAt);
  }

  // ---- fault 3, then what the job's life through faults 1, 2b, 2c and 3 must show

  @Test
  @Order(4)
  void evaluatorKilledMidEvaluationEvaluatesOnceAndPromotesOnce() throws Exception {
    Platform p = Platform.get();
    // The evaluator busy: an epoch announced and not evaluated yet, or the job completed and
    // not promoted yet (its final bundle's evaluation and the promotion).
    FaultJobs.await("the evaluator at work on the job", Duration.ofMinutes(5), Duration.ofMillis(5),
        () -> !pendingEpochs(p).isEmpty() || (!p.events.all(TrainingCompleted.class,
            e -> e.jobId().equals(JOB)).isEmpty() && p.events.all(ModelPromoted.class,
            e -> e.jobId().equals(JOB)).isEmpty()));
    Path firstLog = p.services.get(Service.EVALUATOR).process().logFile();
    Instant killed = Instant.now();
    p.services.get(Service.EVALUATOR).process().kill();
    Set<Integer> pending = pendingEpochs(p);
    assertThat(p.events.all(ModelPromoted.class, e -> e.jobId().equals(JOB)))
        .as("killed before the promotion").isEmpty();
    Instant up = Instant.now();
    Path secondLog = p.restart(Service.EVALUATOR, "evaluator-outages").process().logFile();
    System.out.printf("outages: evaluator killed with epochs %s of %s not evaluated yet; "
        + "replacement up in %d ms%n", pending, JOB, millisSince(up));

    TrainingCompleted done = p.events.await(TrainingCompleted.class,
        e -> e.jobId().equals(JOB), Duration.ofMinutes(8));
    ModelPromoted promoted = p.events.await(ModelPromoted.class, e -> e.jobId().equals(JOB),
        Duration.ofMinutes(8));
    Instant promotedAt = Instant.now();
    for (int epoch : pending) {
      p.events.await(ModelEvaluated.class, e -> e.jobId().equals(JOB) && e.epoch() == epoch
          && e.artifact().equals("checkpoint"), Duration.ofMinutes(1));
    }
    report("3 evaluator killed mid-evaluation (epochs " + pending + " not evaluated)", killed,
        up, promotedAt);

    // The job completed once, trained each epoch's announcement under one id.
    assertThat(Set.copyOf(p.events.ids(TrainingCompleted.class, e -> e.jobId().equals(JOB))))
        .hasSize(1);
    int total = p.events.await(TrainingStarted.class, e -> e.jobId().equals(JOB),
        Duration.ofSeconds(1)).totalEpochs();
    assertThat(done.bundleKey()).isNotBlank();
    List<Path> evaluatorLogs = new ArrayList<>(List.of(firstLog, secondLog));
    for (int epoch = 0; epoch < total; epoch++) {
      int n = epoch;
      List<EpochBundleSaved> announced = p.events.all(EpochBundleSaved.class,
          e -> e.jobId().equals(JOB) && e.epoch() == n);
      assertThat(announced).as("epoch %d announced", n).isNotEmpty();
      assertThat(Set.copyOf(p.events.ids(EpochBundleSaved.class,
          e -> e.jobId().equals(JOB) && e.epoch() == n))).as("epoch %d: one id", n).hasSize(1);
      // Evaluated once: one evaluation computed (its log line), announced under one id however
      // often it was announced again (redeliveries after the outages and the kill).
      assertThat(Set.copyOf(p.events.ids(ModelEvaluated.class, e -> e.jobId().equals(JOB)
          && e.epoch() == n && e.artifact().equals("checkpoint"))))
          .as("epoch %d: one evaluation id", n).hasSize(1);
      String line = "evaluated checkpoint " + announced.get(0).bundleKey() + " of job " + JOB;
      long computed = 0;
      for (Path log : evaluatorLogs) {
        computed += logLines(log, line);
      }
      assertThat(computed).as("epoch %d evaluated once (%s)", n, line).isEqualTo(1);
    }
    // Promoted once: one version, one id, one entry in the model's record; nothing declined.
    assertThat(Set.copyOf(p.events.ids(ModelPromoted.class, e -> e.jobId().equals(JOB))))
        .hasSize(1);
    assertThat(p.events.all(ModelPromoted.class, e -> e.jobId().equals(JOB)).stream()
        .map(ModelPromoted::version).distinct()).containsExactly(promoted.version());
    assertThat(p.events.all(ModelPromotionDeclined.class, e -> e.jobId().equals(JOB)))
        .isEmpty();
    JsonNode model = Http.get(p.url(Service.EVALUATOR, "/models/" + MODEL)).json();
    int versions = 0;
    for (JsonNode v : model.path("versions")) {
      versions += v.path("jobId").asText().equals(JOB) ? 1 : 0;
    }
    assertThat(versions).as("the job is one version of " + MODEL).isEqualTo(1);
  }

  // ---- fault 2d

  @Test
  @Order(5)
  void s3DownDuringAModelLoadInInference() throws Exception {
    Platform p = Platform.get();
    ModelPromoted promoted = p.events.await(ModelPromoted.class, e -> e.jobId().equals(JOB),
        Duration.ofMinutes(1));
    Instant down = stopS3(p);
    // A new inference replica starts while the store is away: it must load the served version.
    p.services.get(Service.INFERENCE).process().kill();
    p.restart(Service.INFERENCE, "inference-outages");
    awaitCheck(p, Service.INFERENCE, "object-store", false);
    awaitCheck(p, Service.INFERENCE, "models", false);
    assertThat(Http.get(p.url(Service.INFERENCE, "/v2/models/" + MODEL + "/ready")).status())
        .isNotEqualTo(200);
    holdUntil(down.plus(OUTAGE), () -> { });
    Instant up = startS3(p);
    FaultJobs.await("model " + MODEL + " ready", Duration.ofMinutes(3), Duration.ofMillis(500),
        () -> status(p.url(Service.INFERENCE, "/v2/models/" + MODEL + "/ready")) == 200);
    Instant done = Instant.now();
    awaitCheck(p, Service.INFERENCE, "object-store", true);
    ImageDataset usps = new DatasetCatalog(p.datasets, Files.createTempDirectory("e2e-outages"))
        .load("usps", Split.TEST, 1);
    Http.Reply r = Http.post(p.url(Service.INFERENCE, "/v2/models/" + MODEL + "/classify"),
        "image/png", PictureFiles.png(usps, 0));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("version").asInt()).isEqualTo(promoted.version());
    report("2d S3 down during a model load in inference", down, up, done);
  }

  // ---- helpers

  private static Instant stopS3(Platform p) {
    Instant down = Instant.now();
    p.stack.s3().stop();
    System.out.printf("outages: S3 server killed (%d ms)%n", millisSince(down));
    return down;
  }

  private static Instant startS3(Platform p) {
    Instant up = Instant.now();
    p.stack.s3().restart();
    System.out.printf("outages: S3 server started again on its objects (%d ms)%n",
        millisSince(up));
    return up;
  }

  /** Prints what a fault cost: the outage, and how long after it the work was done. */
  private static void report(String fault, Instant down, Instant up, Instant done) {
    System.out.printf("outages: %s: down %.1f s, done %.1f s after the restart; nothing lost%n",
        fault, Duration.between(down, up).toMillis() / 1000.0,
        Duration.between(up, done).toMillis() / 1000.0);
  }

  private static long millisSince(Instant t) {
    return Duration.between(t, Instant.now()).toMillis();
  }

  /** The latest epoch of the job announced so far (-1 for none). */
  private static int lastEpoch(Platform p) {
    return p.events.all(EpochBundleSaved.class, e -> e.jobId().equals(JOB)).stream()
        .mapToInt(EpochBundleSaved::epoch).max().orElse(-1);
  }

  /** The epochs of the job announced and not evaluated yet. */
  private static Set<Integer> pendingEpochs(Platform p) {
    Set<Integer> pending = new java.util.TreeSet<>();
    p.events.all(EpochBundleSaved.class, e -> e.jobId().equals(JOB))
        .forEach(e -> pending.add(e.epoch()));
    p.events.all(ModelEvaluated.class, e -> e.jobId().equals(JOB)
        && e.artifact().equals("checkpoint")).forEach(e -> pending.remove(e.epoch()));
    return pending;
  }

  /** The evaluator's "trying again" lines for the job's epochs so far. */
  private static long evaluatorWaits(Platform p) throws IOException {
    try (Stream<String> lines = Files.lines(p.services.get(Service.EVALUATOR).process()
        .logFile(), StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("of job " + JOB + " epoch ")
          && l.contains("trying again")).count();
    }
  }

  /** The trainer's "paused" lines for the job so far. */
  private static long trainerPauses(Platform p) throws IOException {
    return logLines(p.services.get(Service.TRAINER).process().logFile(),
        "job " + JOB + ": paused");
  }

  private static long logLines(Path log, String containing) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(containing)).count();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Polls a service's {@code /q/health/ready} until its check {@code name} is UP (or DOWN). */
  private static void awaitCheck(Platform p, Service s, String name, boolean up)
      throws Exception {
    String want = up ? "UP" : "DOWN";
    FaultJobs.await(s.module() + " readiness check " + name + " " + want, Duration.ofMinutes(3),
        Duration.ofMillis(250), () -> {
          try {
            Http.Reply r = Http.get(p.url(s, "/q/health/ready"));
            for (JsonNode c : r.json().path("checks")) {
              if (c.path("name").asText().equals(name)) {
                return c.path("status").asText().equals(want);
              }
            }
            return false;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  private static <E extends dev.daflow.events.DaflowEvent> void awaitCount(Platform p,
      Class<E> type, java.util.function.Predicate<E> match, int n, Duration timeout)
      throws Exception {
    FaultJobs.await(n + " " + type.getSimpleName(), timeout, Duration.ofMillis(200),
        () -> p.events.all(type, match).size() >= n);
  }

  /** Keeps an outage until {@code until}, checking {@code invariant} all along. */
  private static void holdUntil(Instant until, Runnable invariant) throws InterruptedException {
    while (Instant.now().isBefore(until)) {
      invariant.run();
      Thread.sleep(250); // the outage's length is the scenario, not a wait for something
    }
    invariant.run();
  }

  private static int status(java.net.URI uri) {
    try {
      return Http.get(uri).status();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static Http.Reply post(java.net.URI uri) {
    try {
      return Http.post(uri, "application/json", new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
