package dev.daflow.evaluator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.daflow.contract.Method;
import dev.daflow.contract.Roles;
import dev.daflow.evaluator.service.ModelRecord;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.ModelPromotionDeclined;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingStarted;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.job.TrainedModel;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.ml.train.TrainingListener;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StoredObject;
import dev.daflow.testing.LocalStackResource;
import dev.daflow.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluator against a real Kafka broker and a real S3 server: small MNIST and USPS datasets
 * in the store, a LeNet trained for one epoch here, its bundle uploaded as an epoch bundle and as
 * the job's bundle, and the trainer's events published. Checks the evaluations (each weights
 * evaluated once) with their label-free validators, the promotion by the default policy ({@code
 * im}) and its redelivery, a job with the same weights declined ({@code not-better}: a tie does
 * not beat the serving version), the REST API, the metrics, that broken
 * bundles are survived, and that events of old (named {@code checkpoint.saved}, without
 * datasets) are still served. That nothing
 * more was published is checked after a marker ({@link #settle()}), never after a pause.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class EvaluatorFlowTest {
  @BeforeEach
  void authorize() {
    TestTokens.authorizeRestAssured(); // every role; the matrix (AuthMatrixTest) checks the rest
  }

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MODEL = "source-only-mnist-usps";
  private static final String JOB = "job-flow";
  /**
   * Training pictures per domain: one epoch of 16 steps (batch 64, learning rate 0.05) reaches
   * about 0.68 on MNIST's test, in a few seconds.
   */
  private static final int TRAIN_PICTURES = 1000;
  private static final EventCodec TRAINER = EventCodec.forService("trainer-service");
  private static final String FAILED = "daflow_evaluations_total{outcome=\"failed\"}";
  /** The epoch of the marker events of {@link #settle()}: one the job never has. */
  private static final int MARKER_EPOCH = 99;

  private static ObjectStore store;
  private static EventPublisher publisher;
  private static KafkaConsumer<String, byte[]> models;
  /** An object that is no bundle: what the marker events of {@link #settle()} name. */
  private static StoredObject garbage;
  private static final List<EventEnvelope<DaflowEvent>> received = new ArrayList<>();

  @AfterAll
  static void close() {
    if (models != null) {
      models.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void evaluatesPromotesOnceAndSurvivesBrokenBundles() throws Exception {
    setUp();
    TrainedModel trained = trainAndStoreDatasets();
    Model epochModel = epochModelHolder.get();
    StoredObject epochBundle = upload(ObjectKeys.checkpointBundle(JOB, 0), bytesOf(epochModel));
    StoredObject finalBundle = upload(ObjectKeys.bundle(JOB), bytesOf(trained.model()));

    // Broken bundles of another job first: a wrong SHA-256, and bytes that are no bundle.
    String broken = "job-broken";
    garbage = upload(ObjectKeys.checkpointBundle(broken, 1),
        "not a zip".getBytes(StandardCharsets.UTF_8));
    publish(checkpoint(broken, 0, ObjectKeys.checkpointBundle(JOB, 0), "0".repeat(64)));
    publish(checkpoint(broken, 1, garbage.key(), garbage.sha256()));
    awaitMetric(FAILED, 2.0);

    // The job: started (a source-only card names no target: training.started does), progress
    // (ignored), one epoch, completed.
    // Asked for by the client user straight on Kafka: the trainer's events name it.
    publisher.publish(new TrainingStarted(JOB, MODEL, "source-only", "mnist", "usps", "lenet", 1,
        0, "test-worker"), java.util.UUID.randomUUID().toString(), "kafka:daflow-client");
    publish(new TrainingProgress(JOB, 0, 1, 0, 10, 0, "train", Map.of("label", 1.0), 0, 0.01,
        100));
    publish(checkpoint(JOB, 0, epochBundle.key(), epochBundle.sha256()));

    EventEnvelope<DaflowEvent> evaluated = await(e -> e.event() instanceof ModelEvaluated m
        && m.jobId().equals(JOB) && m.artifact().equals("checkpoint"));
    ModelEvaluated m = (ModelEvaluated) evaluated.event();
    assertThat(evaluated.id()).isEqualTo(EventIds.of(EventType.MODEL_EVALUATED, JOB, 0));
    assertThat(m.modelName()).isEqualTo(MODEL);
    assertThat(m.objectKey()).isEqualTo(epochBundle.key());
    assertThat(m.source().dataset()).isEqualTo("mnist/test");
    assertThat(m.target().dataset()).isEqualTo("usps/test");
    assertThat(m.source().count()).isEqualTo(250); // %test.daflow.evaluator.test-limit
    assertThat(m.source().accuracy()).isGreaterThan(0.5);
    assertThat(m.target().accuracy()).isBetween(0.0, 1.0);
    assertThat(m.classNames()).hasSize(10);
    assertThat(m.source().confusion()).hasSize(10);
    assertThat(m.source().perClassAccuracy()).hasSize(10);
    // The label-free validators: on 300 unlabelled USPS training pictures
    // (%test.daflow.evaluator.validator-pictures), and on the 100 MNIST pictures the job held out
    // of its 1000 (recomputed from the model card).
    assertThat(m.validators()).containsKeys("source_val_accuracy", "entropy", "im", "bnm", "snd",
        "class_ami", "dev", "largest_class_share", "mean_prediction_entropy", "collapsed");
    assertThat(m.validators().get("source_val_accuracy")).isGreaterThan(0.5);
    assertThat(m.validators().get("im")).isBetween(0.0, Math.log(10));
    assertThat(m.validators().get("collapsed")).isZero();
    String stored =
        new String(store.getBytes(ObjectKeys.evaluation(JOB, 0)), StandardCharsets.UTF_8);
    assertThat(stored).contains("\"sha256\" : \"" + epochBundle.sha256() + "\"");
    // The job's checkpoint gauges, while it trains (the counter counts once they are set).
    awaitMetric("daflow_evaluations_total{outcome=\"ok\"}", 1.0);
    String during = metricsText();
    assertThat(value(during, "daflow_evaluation_accuracy{artifact=\"checkpoint\","
        + "domain=\"source\",job=\"job-flow\",model=\"" + MODEL + "\"}"))
        .isEqualTo(m.source().accuracy());
    assertThat(value(during, "daflow_evaluation_epoch{job=\"job-flow\",model=\"" + MODEL
        + "\"}")).isZero();

    TrainingCompleted completed = new TrainingCompleted(JOB, MODEL, finalBundle.key(),
        finalBundle.sha256(), 1, 12.5, 500.0, Map.of("last_epoch_label", 0.9), "mnist", "usps",
        epochBundle.key(), epochBundle.sha256());
    publish(completed);
    EventEnvelope<DaflowEvent> promoted = await(e -> e.event() instanceof ModelPromoted);
    ModelPromoted p = (ModelPromoted) promoted.event();
    assertThat(p.version()).isEqualTo(1);
    assertThat(p.jobId()).isEqualTo(JOB);
    assertThat(p.bundleKey()).isEqualTo(finalBundle.key());
    assertThat(p.sha256()).isEqualTo(finalBundle.sha256());
    assertThat(p.policy()).isEqualTo("source-val-accuracy");
    assertThat(p.metrics()).containsKeys("source_test_accuracy", "target_test_accuracy",
        "source_val_accuracy", "im");
    assertThat(promoted.id()).isEqualTo(EventIds.of(EventType.MODEL_PROMOTED, MODEL, 1));
    ModelEvaluated bundleEvaluation = (ModelEvaluated) await(e -> e.event()
        instanceof ModelEvaluated b && b.artifact().equals("bundle")).event();
    assertThat(bundleEvaluation.epoch()).isZero();
    assertThat(bundleEvaluation.objectKey()).isEqualTo(finalBundle.key());
    // The job's bundle has the last epoch's weights: reported with that epoch's results, not
    // evaluated again (one evaluation counted so far).
    assertThat(bundleEvaluation.source()).isEqualTo(m.source());
    assertThat(bundleEvaluation.target()).isEqualTo(m.target());
    assertThat(bundleEvaluation.validators()).isEqualTo(m.validators());
    assertThat(value(metricsText(), "daflow_evaluations_total{outcome=\"ok\"}")).isEqualTo(1.0);

    // Redelivery (a new ce_id, as after a restart): the same promotion again, no version 2.
    publish(completed);
    settle();
    List<EventEnvelope<DaflowEvent>> all = snapshot(e -> e.event() instanceof ModelPromoted);
    assertThat(all).hasSize(2);
    assertThat(all).extracting(EventEnvelope::id).containsOnly(promoted.id());
    assertThat(all).extracting(e -> ((ModelPromoted) e.event()).version()).containsOnly(1);
    ModelRecord record = readModelRecord();
    assertThat(record.versions()).hasSize(1);

    // A checkpoint.saved of old naming the .ckpt (not the bundle), without datasets: the bundle
    // beside it is the one evaluated, found evaluated already, and its evaluation published
    // again under its id.
    publish(new EpochBundleSaved(JOB, MODEL, 0, "train", null, null,
        ObjectKeys.checkpoint(JOB, 0), "f".repeat(64), Map.of("label", 0.5), 3.0, 400.0));
    settle();
    assertThat(snapshot(e -> e.event() instanceof ModelEvaluated c
        && c.artifact().equals("checkpoint") && c.jobId().equals(JOB)))
        .hasSize(2).extracting(EventEnvelope::id).containsOnly(evaluated.id());

    // REST: the model, its version and its job's evaluations, from the store.
    JsonPath list = given().when().get("/models").then().statusCode(200).extract().jsonPath();
    assertThat(list.getList("name")).containsExactly(MODEL);
    assertThat(list.getInt("[0].currentVersion")).isEqualTo(1);
    assertThat(list.getString("[0].jobs[0].jobId")).isEqualTo(JOB);
    assertThat(list.getString("[0].jobs[0].target")).isEqualTo("usps");
    assertThat(list.getString("[0].jobs[0].requestedBy")).isEqualTo("kafka:daflow-client");
    assertThat(list.getList("[0].jobs[0].evaluations.artifact"))
        .containsExactly("checkpoint", "bundle");
    assertThat(list.getFloat("[0].jobs[0].evaluations[0].sourceAccuracy"))
        .isEqualTo((float) m.source().accuracy());
    assertThat(list.getFloat("[0].jobs[0].evaluations[0].validators.im"))
        .isEqualTo(m.validators().get("im").floatValue());
    assertThat(list.getList("[0].declined")).isEmpty();
    JsonPath one = given().when().get("/models/" + MODEL).then().statusCode(200).extract()
        .jsonPath();
    assertThat(one.getInt("promoted.version")).isEqualTo(1);
    assertThat(one.getList("promoted.source.confusion")).hasSize(10);
    assertThat(one.getMap("promoted.target.perClassAccuracy")).hasSize(10);
    given().when().get("/models/no-such-model").then().statusCode(404)
        .body("error", is("model not found"));
    given().when().get("/models/a..b").then().statusCode(400)
        .body("error", is("invalid request"));

    // The version's report: computed once after the promotion, stored beside the evaluations,
    // laid out per view (the stored object is not written again).
    String reportPath = "/models/" + MODEL + "/versions/1/report";
    String page = awaitPage(reportPath);
    // the report holds the time it was computed: the same ETag means it was not made again
    String reportEtag = store.stat(ObjectKeys.report(JOB)).etag();
    assertThat(page).contains("<h1>" + MODEL + " version 1</h1>", "Model card", "mnist/test",
        "usps/test", "Proxy A-distance", "/datasets/mnist/preview", "PCA", "source-only",
        "<th>requested by</th><td>kafka:daflow-client</td>");
    // a source-only model is never adapted: its reference before adaptation is the input pixels
    assertThat(page).contains("<b>Before adaptation</b>: reference <code>input-pixels</code>",
        "<td>before adaptation (the input pixels, no model)</td>");
    // accuracy per epoch, 2 confusion matrices, per-class accuracy, the one epoch's embedding
    // by domain and by class, proxy A-distance
    assertThat(page.split("<svg class=\"figure\"", -1).length - 1).isEqualTo(7);
    assertThat(page).contains("data:image/png;base64,").doesNotContain("<script");
    assertThat(given().when().get(reportPath).then().statusCode(200).extract().asString())
        .isEqualTo(page);
    assertThat(store.stat(ObjectKeys.report(JOB)).etag()).isEqualTo(reportEtag);
    given().when().get("/models/" + MODEL + "/versions/9/report").then().statusCode(404)
        .body("error", is("report not found"));
    given().when().get("/models/" + MODEL + "/versions/x/report").then().statusCode(400)
        .body("error", is("invalid request"));

    // Metrics and readiness. The job's evaluation is final: its bundle series stay, its
    // checkpoint series are gone.
    String metrics = metricsText();
    assertThat(value(metrics, "daflow_evaluation_accuracy{artifact=\"bundle\","
        + "domain=\"target\",job=\"job-flow\",model=\"" + MODEL + "\"}"))
        .isEqualTo(bundleEvaluation.target().accuracy());
    assertThat(metrics).doesNotContain("artifact=\"checkpoint\",domain=\"source\","
        + "job=\"job-flow\"").doesNotContain("daflow_evaluation_epoch{job=\"job-flow\"");
    assertThat(value(metrics, "daflow_model_promoted_version{model=\"" + MODEL + "\"}"))
        .isEqualTo(1.0);
    assertThat(value(metrics, "daflow_evaluation_validator{artifact=\"bundle\",job=\"job-flow\","
        + "model=\"" + MODEL + "\",validator=\"im\"}"))
        .isEqualTo(bundleEvaluation.validators().get("im"));
    assertThat(value(metrics, "daflow_evaluations_total{outcome=\"ok\"}")).isEqualTo(1.0);
    assertThat(value(metrics, "daflow_evaluation_seconds_count")).isEqualTo(1.0);
    assertThat(metrics).contains("kafka_consumer_");
    given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));

    // Events of old: an epoch without datasets (those of training.started are used) and a
    // completion that names no last epoch: the job's bundle is evaluated itself.
    String old = "job-old";
    StoredObject oldEpoch = upload(ObjectKeys.checkpointBundle(old, 0), bytesOf(epochModel));
    StoredObject oldFinal = upload(ObjectKeys.bundle(old), bytesOf(trained.model()));
    publish(new TrainingStarted(old, MODEL, "source-only", "mnist", "usps", "lenet", 1, 0,
        "test-worker"));
    publish(new EpochBundleSaved(old, MODEL, 0, "train", null, null, oldEpoch.key(),
        oldEpoch.sha256(), Map.of("label", 0.5), 3.0, 400.0));
    publish(new TrainingCompleted(old, MODEL, oldFinal.key(), oldFinal.sha256(), 1, 12.5, 500.0,
        Map.of("source_test_accuracy", 0.9), null, null, null, null));
    // The same weights measure the same: a tie does not beat version 1, the promotion is
    // declined (and recorded, so the REST API lists it).
    ModelPromotionDeclined declined = (ModelPromotionDeclined) await(e -> e.event()
        instanceof ModelPromotionDeclined d && d.jobId().equals(old)).event();
    assertThat(declined.reason()).isEqualTo(ModelPromotionDeclined.NOT_BETTER);
    assertThat(declined.policy()).isEqualTo("source-val-accuracy");
    assertThat(declined.currentVersion()).isEqualTo(1);
    assertThat(declined.candidateValue()).isEqualTo(declined.currentValue())
        .isEqualTo(m.validators().get("source_val_accuracy"));
    assertThat(snapshot(e -> e.event() instanceof ModelPromoted p2 && p2.jobId().equals(old)))
        .isEmpty();
    given().when().get("/models/" + MODEL).then().statusCode(200)
        .body("currentVersion", is(1)).body("declined[0].jobId", is(old))
        .body("declined[0].reason", is("not-better"));
    ModelEvaluated oldBundle = (ModelEvaluated) await(e -> e.event() instanceof ModelEvaluated b
        && b.jobId().equals(old) && b.artifact().equals("bundle")).event();
    assertThat(oldBundle.source().dataset()).isEqualTo("mnist/test");
    assertThat(oldBundle.target().dataset()).isEqualTo("usps/test");
    // The same weights give the same results, evaluated this time: two more evaluations.
    assertThat(oldBundle.source().confusion()).isEqualTo(m.source().confusion());
    awaitMetric("daflow_evaluations_total{outcome=\"ok\"}", 3.0);
    assertThat(value(metricsText(), "daflow_evaluations_total{outcome=\"ok\"}")).isEqualTo(3.0);

    // Promotion by hand (admin only). Version 1 is served already (the second job was declined
    // above): nothing new is recorded, and its promotion is announced again with who asked. A
    // roll back to an older version under a new number is ManualPromotionsTest's.
    io.restassured.RestAssured.requestSpecification = null; // this request's token only
    given().auth().oauth2(TestTokens.token(Roles.VIEWER, Roles.TRAINER))
        .post("/models/" + MODEL + "/versions/1/promote").then().statusCode(403);
    TestTokens.authorizeRestAssured();
    JsonPath again = given().post("/models/" + MODEL + "/versions/1/promote").then()
        .statusCode(200).extract().jsonPath();
    assertThat(again.getInt("version")).isEqualTo(1);
    assertThat(again.getString("jobId")).isEqualTo(JOB);
    EventEnvelope<DaflowEvent> announced = await(e -> e.event() instanceof ModelPromoted p3
        && p3.version() == 1 && "jwt:test-user".equals(e.principal()));
    assertThat(((ModelPromoted) announced.event()).bundleKey()).isEqualTo(p.bundleKey());
    given().post("/models/" + MODEL + "/versions/9/promote").then().statusCode(404)
        .body("error", is("version not found"));
    assertThat(readModelRecord().versions()).hasSize(1);
  }

  @Test
  void malformedRecordsAreCountedAndSkipped() throws Exception {
    setUp();
    // The counter exists from the start, at zero: a fresh dashboard draws 0, not "no data".
    assertThat(value(metricsText(), "daflow_events_malformed_total{topic=\"daflow.training\"}"))
        .isZero();
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
        new KafkaSettings(LocalStackResource.stack().kafka().bootstrapServers(), "test")
            .producer())) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TRAINING,
          "job-x", "{}".getBytes(StandardCharsets.UTF_8))).get();
    }
    awaitMetric("daflow_events_malformed_total{topic=\"daflow.training\"}", 1.0);
  }

  // ---- fixtures

  private static final AtomicReference<Model> epochModelHolder = new AtomicReference<>();

  private static synchronized void setUp() {
    if (store != null) {
      return;
    }
    var stack = LocalStackResource.stack();
    store = new ObjectStore(stack.storage());
    publisher = new EventPublisher(new KafkaSettings(stack.kafka().bootstrapServers(), "test"),
        TRAINER);
    Properties props = new KafkaSettings(stack.kafka().bootstrapServers(), "test-reader")
        .consumer("test-reader");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class.getName());
    models = new KafkaConsumer<>(props);
  }

  /** Small MNIST and USPS datasets in the store, a LeNet trained on them for one epoch. */
  private static TrainedModel trainAndStoreDatasets() throws IOException {
    DatasetCatalog catalog = new DatasetCatalog(Path.of(System.getProperty("test.datasets",
        "../../shared/datasets")), Path.of("target", "dataset-cache"));
    DatasetStore datasets = new DatasetStore(store);
    for (String name : List.of("mnist", "usps")) {
      datasets.save(name, "catalog", Map.of(
          Split.TRAIN, catalog.load(name, Split.TRAIN, TRAIN_PICTURES),
          Split.TEST, catalog.load(name, Split.TEST, 300)));
    }
    TrainingConfig config = TrainingConfig.defaults(Method.SOURCE_ONLY, "lenet").withEpochs(1)
        .withBatchSize(64).withLearningRate(0.05);
    return new JobRunner(datasets).train(new JobSpec("mnist", "usps", config, TRAIN_PICTURES)
            .withRequestedBy("kafka:daflow-client"),
        new TrainingListener() {}, CancellationToken.none(), null,
        (epoch, model) -> epochModelHolder.set(model));
  }

  private static byte[] bytesOf(Model model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelBundle.write(model, out);
    return out.toByteArray();
  }

  private static StoredObject upload(String key, byte[] bytes) {
    return store.put(key, bytes, ObjectStore.OCTET_STREAM);
  }

  private static EpochBundleSaved checkpoint(String job, int epoch, String key, String sha) {
    return new EpochBundleSaved(job, MODEL, epoch, "train", "mnist", "usps", key, sha,
        Map.of("label", 0.5), 3.0, 400.0);
  }

  /** Publishes with a fresh event id, as a new delivery. */
  private static void publish(DaflowEvent event) {
    publisher.publish(event);
  }

  private static ModelRecord readModelRecord() throws IOException {
    String key = ObjectKeys.modelRecord(MODEL);
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .disable(com.fasterxml.jackson.databind.DeserializationFeature
            .FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(store.getBytes(key), ModelRecord.class);
  }

  /** Reads {@code daflow.models} from the start into {@link #received}. */
  private static synchronized void pollModels() throws Exception {
    if (models.assignment().isEmpty()) {
      List<TopicPartition> partitions = models.partitionsFor(Topics.MODELS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      models.assign(partitions);
      models.seekToBeginning(partitions);
    }
    for (ConsumerRecord<String, byte[]> r : models.poll(Duration.ofMillis(200))) {
      received.add(TRAINER.decode(r));
    }
  }

  private static synchronized List<EventEnvelope<DaflowEvent>> snapshot(
      Predicate<EventEnvelope<DaflowEvent>> which) {
    return received.stream().filter(which).toList();
  }

  private static EventEnvelope<DaflowEvent> await(Predicate<EventEnvelope<DaflowEvent>> which)
      throws Exception {
    awaitCount(which, 1);
    return snapshot(which).get(0);
  }

  private static void awaitCount(Predicate<EventEnvelope<DaflowEvent>> which, int count)
      throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      pollModels();
      if (snapshot(which).size() >= count) {
        return;
      }
    }
    throw new AssertionError("no " + count + " matching events on " + Topics.MODELS + " within "
        + WAIT.toSeconds() + " s; received: " + snapshot(e -> true));
  }

  /**
   * Returns once the evaluator has handled every event of {@link #JOB} published so far, with
   * all it published read into {@link #received}: publishes a marker after them, an {@code
   * epoch-bundle.saved} of the same job (so the same partition, handled after them by the one
   * worker) whose object is no bundle. Its only effect is one more failed evaluation; once that
   * is counted, whatever the earlier events published is on {@link Topics#MODELS} (published
   * before the worker moved on), and it is read up to the end.
   */
  private static void settle() throws Exception {
    double failed = value(metricsText(), FAILED);
    publish(checkpoint(JOB, MARKER_EPOCH, garbage.key(), garbage.sha256()));
    awaitMetric(FAILED, failed + 1);
    pollModelsToEnd();
  }

  /** Reads {@link Topics#MODELS} up to the offsets it has now. */
  private static synchronized void pollModelsToEnd() throws Exception {
    pollModels();
    Map<TopicPartition, Long> end = models.endOffsets(models.assignment());
    Instant deadline = Instant.now().plus(WAIT);
    while (end.entrySet().stream().anyMatch(e -> models.position(e.getKey()) < e.getValue())) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("could not read " + Topics.MODELS + " up to " + end);
      }
      pollModels();
    }
  }

  private static String metricsText() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The value of one series in Prometheus text, NaN if it is absent. */
  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The page at {@code path} once it answers 200 (a report is made after its promotion). */
  private static String awaitPage(String path) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      var r = given().when().get(path).then().extract();
      if (r.statusCode() == 200) {
        assertThat(r.contentType()).startsWith("text/html");
        return r.asString();
      }
      assertThat(r.statusCode()).as("GET %s before its report is made", path).isEqualTo(404);
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(path + " still answers 404 after " + WAIT);
      }
      Thread.sleep(200); // polling with a deadline
    }
  }

  private static void awaitMetric(String series, double atLeast) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    String text = "";
    while (Instant.now().isBefore(deadline)) {
      text = metricsText();
      if (value(text, series) >= atLeast) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(series + " did not reach " + atLeast + " within " + WAIT
        .toSeconds() + " s; metrics: " + text.lines().filter(l -> l.startsWith("daflow_"))
        .toList());
  }
}
