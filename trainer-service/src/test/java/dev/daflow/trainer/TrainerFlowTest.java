package dev.daflow.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCancelled;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingProgress;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.config.CommonConfig;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.testing.LocalStackResource;
import dev.daflow.testing.TestTokens;
import dev.daflow.trainer.config.TrainerConfig;
import dev.daflow.trainer.messaging.TrainingRequestsListener;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainer-service against a real Kafka broker and a real S3 server (the local stack's child
 * processes): small MNIST and USPS ingested into the store, then requests through Kafka and REST,
 * events read back from {@code daflow.training}, objects from the store. The tests share one
 * service (one worker) and run in order.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerFlowTest {
  @BeforeEach
  void authorize() {
    TestTokens.authorizeRestAssured(); // every role; the matrix (AuthMatrixTest) checks the rest
  }

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

  private static ObjectStore store;
  private static EventPublisher publisher;
  private static EventCollector events;

  @Inject
  TrainerConfig config;

  @Inject
  CommonConfig common;

  @BeforeEach
  void setUp() throws Exception {
    if (store != null) {
      return;
    }
    // Ready: Kafka and S3 answer, topics and buckets exist, the consumer runs.
    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (given().get("/q/health/ready").statusCode() != 200) {
      assertThat(System.nanoTime()).as("readiness within 90 s").isLessThan(until);
      Thread.sleep(250);
    }
    store = new ObjectStore(LocalStackResource.stack().storage());
    ingest(new DatasetStore(store));
    String bootstrap = LocalStackResource.stack().kafka().bootstrapServers();
    publisher = new EventPublisher(new KafkaSettings(bootstrap, "trainer-test"),
        EventCodec.forService("trainer-test"));
    events = new EventCollector(bootstrap);
  }

  @AfterAll
  static void tearDown() {
    if (events != null) {
      events.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** The first 600 training and 300 test pictures of MNIST and USPS, from the mirror. */
  private static void ingest(DatasetStore datasets) throws Exception {
    Path mirror = Path.of(System.getProperty("test.datasets", "../../shared/datasets"));
    Path cache = Files.createTempDirectory("daflow-trainer-test-cache");
    DatasetCatalog catalog = new DatasetCatalog(mirror, cache);
    for (String name : List.of("mnist", "usps")) {
      datasets.save(name, "catalog", Map.of(
          Split.TRAIN, catalog.load(name, Split.TRAIN, 600),
          Split.TEST, catalog.load(name, Split.TEST, 300)));
    }
  }

  private static TrainingRequested dann(String jobId, int epochs) {
    return new TrainingRequested(jobId, null, "dann", "mnist", "usps", null, epochs, 64, null,
        null, "none", 7, 600);
  }

  @Test
  @Order(1)
  void trainsAValidRequestAndStoresItsBundle() throws Exception {
    assertThat(config.trainer().workers()).isEqualTo(1);
    assertThat(common.kafka().replication()).isEqualTo((short) 1);
    // The service-wide counters exist from the start, at zero: a fresh dashboard draws 0.
    String atStart = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(atStart).contains(
        "daflow_training_requests_rejected_total{reason=\"malformed\"} 0.0",
        "daflow_training_requests_rejected_total{reason=\"invalid\"} 0.0",
        "daflow_training_requests_rejected_total{reason=\"conflict\"} 0.0",
        "daflow_events_malformed_total{topic=\"daflow.training.requests\"} 0.0",
        "daflow_training_jobs_finished_total{outcome=\"failed\"} 0.0");
    publisher.publish(dann("job-dann", 2));

    TrainingCompleted done = events.await(TrainingCompleted.class, "job-dann").event();
    List<EventEnvelope<DaflowEvent>> job = events.of("job-dann");
    assertThat(job).extracting(e -> e.type())
        .startsWith(EventType.TRAINING_STARTED)
        .contains(EventType.TRAINING_PROGRESS)
        .endsWith(EventType.TRAINING_COMPLETED);

    EventEnvelope<DaflowEvent> started = job.get(0);
    assertThat(started.id()).isEqualTo(EventIds.of(EventType.TRAINING_STARTED, "job-dann", 0));
    // A request on the plain topic of a broker without SASL: nobody vouches for its sender.
    assertThat(job).extracting(EventEnvelope::principal).containsOnly("kafka:anonymous");
    TrainingStarted s = (TrainingStarted) started.event();
    assertThat(s.network()).isEqualTo("lenet");
    assertThat(s.modelName()).isEqualTo("dann-mnist-usps");
    assertThat(s.totalEpochs()).isEqualTo(2);
    assertThat(s.startEpoch()).isZero();

    // 600 pictures, batch 64: 10 steps an epoch; progress every 5 iterations.
    List<TrainingProgress> progress = events.all(TrainingProgress.class, "job-dann");
    assertThat(progress).extracting(TrainingProgress::iteration).containsExactly(0L, 5L, 10L, 15L);
    assertThat(progress.get(0).stepsPerEpoch()).isEqualTo(10);
    assertThat(progress.get(0).losses()).isNotEmpty();
    assertThat(progress.get(3).lambda()).isGreaterThan(0);
    assertThat(progress.get(3).learningRate()).isGreaterThan(0);

    List<EventEnvelope<DaflowEvent>> saved = job.stream()
        .filter(e -> e.type() == EventType.EPOCH_BUNDLE_SAVED).toList();
    assertThat(saved).hasSize(2);
    for (int epoch = 0; epoch < 2; epoch++) {
      EpochBundleSaved c = (EpochBundleSaved) saved.get(epoch).event();
      assertThat(saved.get(epoch).id())
          .isEqualTo(EventIds.of(EventType.EPOCH_BUNDLE_SAVED, "job-dann", epoch));
      assertThat(c.epoch()).isEqualTo(epoch);
      assertThat(c.source()).isEqualTo("mnist");
      assertThat(c.target()).isEqualTo("usps");
      assertThat(c.bundleKey()).isEqualTo(ObjectKeys.checkpointBundle("job-dann", epoch));
      assertThat(store.stat(c.bundleKey()).sha256()).isEqualTo(c.sha256());
      assertThat(store.exists(ObjectKeys.checkpoint("job-dann", epoch))).isTrue();
    }

    assertThat(done.bundleKey()).isEqualTo(ObjectKeys.bundle("job-dann"));
    assertThat(done.epochs()).isEqualTo(2);
    assertThat(done.source()).isEqualTo("mnist");
    assertThat(done.target()).isEqualTo("usps");
    // The trainer evaluates no test split (the evaluator does): training figures only.
    assertThat(done.metrics()).isNotEmpty()
        .doesNotContainKeys("source_test_accuracy", "target_test_accuracy")
        .allSatisfy((name, value) -> assertThat(name).startsWith("last_epoch_"));
    // The bundle loads from the store, its SHA-256 the one announced.
    byte[] bundle = store.getBytes(done.bundleKey(),
        done.sha256());
    Model model = ModelBundle.read(bundle, done.bundleKey());
    assertThat(model.network()).isEqualTo("lenet");
    assertThat(model.classNames()).hasSize(10);
    assertThat(model.card().metrics()).isEqualTo(done.metrics());
    assertThat(model.card().requestedBy()).isEqualTo("kafka:anonymous");
    // It has the weights of the last epoch's bundle, which the event names.
    EpochBundleSaved last = (EpochBundleSaved) saved.get(1).event();
    assertThat(done.lastEpochBundleKey()).isEqualTo(last.bundleKey());
    assertThat(done.lastEpochSha256()).isEqualTo(last.sha256());
    assertSameWeights(bundle, store.getBytes(last.bundleKey(),
        last.sha256()));

    given().get("/jobs/job-dann").then().statusCode(200)
        .body("state", is("COMPLETED"))
        .body("epoch", is(1))
        .body("totalEpochs", is(2))
        .body("bundleKey", is("bundles/job-dann.bundle"))
        .body("request.trainLimit", is(600))
        .body("requestedBy", is("kafka:anonymous"));
  }

  @Test
  @Order(2)
  void rejectsMalformedAndInvalidRequestsAndKeepsGoing() throws Exception {
    // A record with CloudEvents headers but a value that is no JSON.
    var valid = EventCodec.forService("trainer-test").encode(dann("job-bad", 1));
    ProducerRecord<String, byte[]> malformed = new ProducerRecord<>(valid.topic(), null,
        valid.key(), "{\"jobId\": \"job-bad\",".getBytes(StandardCharsets.UTF_8),
        valid.headers());
    try (KafkaProducer<String, byte[]> raw =
        producer(LocalStackResource.stack().kafka().bootstrapServers())) {
      raw.send(malformed).get();
    }
    publisher.publish(new TrainingRequested("job-invalid", null, "dann", "nope", "usps", null, 0,
        64, null, null, "none", 7, 600));
    publisher.publish(dann("job-after", 1));

    TrainingRejected bad = events.await(TrainingRejected.class, "job-bad").event();
    assertThat(bad.reason()).isEqualTo("malformed");
    assertThat(bad.problems()).singleElement().asString().contains("malformed JSON");

    TrainingRejected invalid = events.await(TrainingRejected.class, "job-invalid").event();
    assertThat(invalid.reason()).isEqualTo("invalid request");
    assertThat(invalid.problems()).containsExactlyInAnyOrder(
        "epochs must be in 1..10000, got 0", "source dataset 'nope' is not ingested");

    // The consumer went on: the valid request after them is trained.
    events.await(TrainingCompleted.class, "job-after");
    assertThat(events.of("job-invalid")).hasSize(1);
    given().get("/jobs/job-invalid").then().statusCode(404).body("error", is("job not found"));
  }

  @Test
  @Order(3)
  void aRequestForACompletedJobDoesNotTrainAgain() throws Exception {
    double before = metric("daflow_training_duplicates_total");
    publisher.publish(dann("job-dann", 2)); // the same job id, a new request
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (metric("daflow_training_duplicates_total") < before + 1) {
      assertThat(System.nanoTime()).as("duplicate counted within 30 s").isLessThan(until);
      Thread.sleep(200);
    }
    assertThat(events.all(TrainingStarted.class, "job-dann")).hasSize(1);
    given().get("/jobs/job-dann").then().statusCode(200).body("state", is("COMPLETED"));
  }

  @Test
  @Order(4)
  void resumesFromTheLatestCheckpointInTheStore() throws Exception {
    // job-resume has the configuration of job-dann and its epoch-0 checkpoint, as if a trainer
    // had been killed after that epoch.
    String from = ObjectKeys.checkpoint("job-dann", 0);
    String to = ObjectKeys.checkpoint("job-resume", 0);
    store.put(to, store.getBytes(from), ObjectStore.OCTET_STREAM);

    publisher.publish(dann("job-resume", 2));
    TrainingCompleted done = events.await(TrainingCompleted.class, "job-resume").event();
    TrainingStarted started = events.all(TrainingStarted.class, "job-resume").get(0);
    assertThat(started.startEpoch()).isEqualTo(1);
    assertThat(events.all(EpochBundleSaved.class, "job-resume"))
        .extracting(EpochBundleSaved::epoch).containsExactly(1);
    assertThat(events.all(TrainingProgress.class, "job-resume").get(0).iteration())
        .isEqualTo(10L);
    // Resumed runs train the same weights as an uninterrupted one: every parameter equal.
    TrainingCompleted original = events.all(TrainingCompleted.class, "job-dann").get(0);
    assertSameWeights(
        store.getBytes(done.bundleKey(), done.sha256()),
        store.getBytes(original.bundleKey(),
            original.sha256()));
    assertThat(done.metrics()).isEqualTo(original.metrics());
  }

  /** Asserts two bundles hold the same parameters: the same names, shapes and values. */
  private static void assertSameWeights(byte[] bundle, byte[] other) throws IOException {
    Map<String, INDArray> a = parameters(bundle);
    Map<String, INDArray> b = parameters(other);
    assertThat(a).isNotEmpty();
    assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
    a.forEach((name, value) -> assertThat(value.equalsWithEps(b.get(name), 0.0))
        .as("parameter %s is the same", name).isTrue());
  }

  /** The parameters of a bundle's graph ({@code graph.sd}), by name. */
  private static Map<String, INDArray> parameters(byte[] bundle) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals("graph.sd")) {
          SameDiff sd = SameDiff.load(new ByteArrayInputStream(zip.readAllBytes()), false);
          Map<String, INDArray> out = new LinkedHashMap<>();
          Graphs.parameters(sd).forEach(n -> out.put(n, sd.getArrForVarName(n)));
          return out;
        }
      }
    }
    throw new AssertionError("the bundle has no graph.sd");
  }

  @Test
  @Order(5)
  void cancelsThroughRest() throws Exception {
    given().contentType(ContentType.JSON)
        .body("{\"jobId\": \"job-cancel\", \"method\": \"dann\", \"source\": \"mnist\","
            + " \"target\": \"usps\", \"epochs\": 500, \"batchSize\": 64, \"trainLimit\": 600}")
        .post("/jobs").then().statusCode(202).body("jobId", is("job-cancel"));
    events.await(TrainingProgress.class, "job-cancel");
    // Requested over HTTP: the token's user, in the record and in every event of the job.
    given().get("/jobs/job-cancel").then().statusCode(200)
        .body("requestedBy", is("jwt:test-user"));
    assertThat(events.of("job-cancel")).extracting(EventEnvelope::principal)
        .containsOnly("jwt:test-user");

    // While it runs: live progress in the REST answer, its gauges in the metrics.
    given().get("/jobs").then().statusCode(200).body("[0].jobId", is("job-cancel"))
        .body("[0].state", is("RUNNING"));
    given().get("/jobs/job-cancel").then().statusCode(200)
        .body("progress.phase", is("adapt"))
        .body("progress.stepsPerEpoch", is(10));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).contains("daflow_training_jobs_running 1.0",
        "daflow_training_epochs{job=\"job-cancel\"} 500.0",
        "daflow_training_loss{job=\"job-cancel\",loss=",
        "daflow_training_images_per_second{job=\"job-cancel\"}",
        "daflow_training_lambda{job=\"job-cancel\"}",
        "daflow_training_learning_rate{job=\"job-cancel\"}",
        "daflow_training_epoch{job=\"job-cancel\"}");

    given().post("/jobs/job-cancel/cancel").then().statusCode(202)
        .body("cancelRequested", is(true));
    TrainingCancelled cancelled = events.await(TrainingCancelled.class, "job-cancel").event();
    assertThat(cancelled.epoch()).isLessThan(500);
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!given().get("/jobs/job-cancel").path("state").equals("CANCELLED")) {
      assertThat(System.nanoTime()).as("recorded as cancelled").isLessThan(until);
      Thread.sleep(100);
    }
    given().post("/jobs/job-cancel/cancel").then().statusCode(409)
        .body("error", is("job already finished"));
    given().post("/jobs/nope/cancel").then().statusCode(404).body("error", is("job not found"));

    // A new request for the cancelled job with another configuration would mix two runs.
    publisher.publish(dann("job-cancel", 3));
    TrainingRejected conflict = events.await(TrainingRejected.class, "job-cancel").event();
    assertThat(conflict.reason()).isEqualTo("conflict");
    assertThat(conflict.problems()).containsExactly(
        "job 'job-cancel' exists (cancelled) with another request; use a new job id");
  }

  @Test
  @Order(6)
  void replicasShareTheRequestsAndHandJobsOver() throws Exception {
    String bootstrap = LocalStackResource.stack().kafka().bootstrapServers();
    // A second member of the trainers' group takes some of the partitions...
    Set<TopicPartition> theirs;
    try (GroupMember other = new GroupMember(bootstrap)) {
      theirs = other.awaitAssignment();
      // ... so a request on one of them goes to it, not to the service.
      int partition = theirs.iterator().next().partition();
      var request = EventCodec.forService("trainer-test").encode(dann("job-handover", 500));
      try (KafkaProducer<String, byte[]> raw = producer(bootstrap)) {
        raw.send(new ProducerRecord<>(request.topic(), partition, request.key(), request.value(),
            request.headers())).get();
      }
      assertThat(other.awaitRequest("job-handover")).isNotNull();
      assertThat(events.of("job-handover")).isEmpty();
    } // it leaves without committing: the request goes to the service
    events.await(EpochBundleSaved.class, "job-handover");

    // A member joining mid-job takes that partition back: the job stops here with no terminal
    // event, and the new owner receives the uncommitted request.
    try (GroupMember other = new GroupMember(bootstrap)) {
      Set<TopicPartition> again = other.awaitAssignment();
      assertThat(again).as("the sticky assignor moves the same partitions").isEqualTo(theirs);
      assertThat(other.awaitRequest("job-handover")).isNotNull();
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (metric("daflow_training_jobs_running") > 0) {
        assertThat(System.nanoTime()).as("job stopped within 30 s").isLessThan(until);
        Thread.sleep(200);
      }
      assertThat(events.of("job-handover")).extracting(EventEnvelope::type)
          .doesNotContain(EventType.TRAINING_CANCELLED, EventType.TRAINING_FAILED,
              EventType.TRAINING_COMPLETED);
      given().get("/jobs/job-handover").then().statusCode(200).body("state", is("RUNNING"));
    }

    // Back with the service, the job resumes after its last announced checkpoint.
    long until = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (events.all(TrainingStarted.class, "job-handover").size() < 2) {
      assertThat(System.nanoTime()).as("resumed within 120 s").isLessThan(until);
      Thread.sleep(100);
    }
    // The epochs saved before the second start: the handed-over run's.
    List<DaflowEvent> job = events.of("job-handover").stream().map(EventEnvelope::event)
        .toList();
    TrainingStarted resumed = events.all(TrainingStarted.class, "job-handover").get(1);
    int lastSaved = job.subList(0, job.indexOf(resumed)).stream()
        .filter(EpochBundleSaved.class::isInstance).map(EpochBundleSaved.class::cast)
        .mapToInt(EpochBundleSaved::epoch).max().orElseThrow();
    assertThat(resumed.startEpoch()).isEqualTo(lastSaved + 1);
    given().post("/jobs/job-handover/cancel").then().statusCode(202);
    events.await(TrainingCancelled.class, "job-handover");
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(new KafkaSettings(bootstrap, "trainer-test-raw").producer());
  }

  /** Another member of the trainers' consumer group that only reads (never commits). */
  static final class GroupMember implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

    GroupMember(String bootstrap) {
      Properties props = new KafkaSettings(bootstrap, "trainer-test-member")
          .consumer(TrainingRequestsListener.GROUP);
      props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
      consumer = new KafkaConsumer<>(props);
      consumer.subscribe(List.of(Topics.TRAINING_REQUESTS));
    }

    Set<TopicPartition> awaitAssignment() {
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.assignment().isEmpty()) {
        assertThat(System.nanoTime()).as("assignment within 60 s").isLessThan(until);
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
      return Set.copyOf(consumer.assignment());
    }

    ConsumerRecord<String, byte[]> awaitRequest(String jobId) {
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        for (ConsumerRecord<String, byte[]> r : received) {
          if (jobId.equals(r.key())) {
            return r;
          }
        }
        assertThat(System.nanoTime()).as("request " + jobId + " within 60 s").isLessThan(until);
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Test
  @Order(7)
  void restRefusesAnInvalidRequestWithEveryProblem() {
    given().contentType(ContentType.JSON)
        .body("{\"method\": \"magic\", \"source\": \"mnist\", \"target\": \"nope\"}")
        .post("/jobs").then().statusCode(400)
        .body("error", is("invalid request"))
        .body("problems.size()", is(2));
  }

  @Test
  @Order(9)
  void aRequestOnAUsersTopicIsThatUsersWhateverItSays() throws Exception {
    String bootstrap = LocalStackResource.stack().kafka().bootstrapServers();
    String topic = Topics.trainingRequestsOf("alice");
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        new KafkaSettings(bootstrap, "trainer-test-admin").admin())) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1,
          (short) 1))).all().get();
    }
    // The trainer finds the new topic at its next metadata refresh; the record claims someone
    // else, which the topic (only alice may write it, by the broker's ACLs) overrides.
    try (EventPublisher alice = new EventPublisher(new KafkaProducer<>(
        new KafkaSettings(bootstrap, "trainer-test-alice").producer()),
        EventCodec.forService("trainer-test"), topic)) {
      alice.publish(dann("job-alice", 1), UUID.randomUUID().toString(), "jwt:the-boss");
    }
    events.await(TrainingCompleted.class, "job-alice");
    assertThat(events.of("job-alice")).extracting(EventEnvelope::principal)
        .containsOnly("kafka:alice");
    given().get("/jobs/job-alice").then().statusCode(200)
        .body("state", is("COMPLETED"))
        .body("requestedBy", is("kafka:alice"));
    Model model = ModelBundle.read(store.getBytes(ObjectKeys.bundle("job-alice")),
        ObjectKeys.bundle("job-alice"));
    assertThat(model.card().requestedBy()).isEqualTo("kafka:alice");
  }

  @Test
  @Order(8)
  void healthAndMetrics() throws Exception {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metric("daflow_training_jobs_finished_total{outcome=\"completed\"}"))
        .isEqualTo(3.0);
    assertThat(metric("daflow_training_jobs_finished_total{outcome=\"cancelled\"}"))
        .isEqualTo(2.0);
    assertThat(metric("daflow_training_requests_rejected_total{reason=\"malformed\"}"))
        .isEqualTo(1.0);
    assertThat(metric("daflow_training_requests_rejected_total{reason=\"invalid\"}"))
        .isEqualTo(1.0);
    assertThat(metric("daflow_events_malformed_total{topic=\"daflow.training.requests\"}"))
        .isEqualTo(1.0);
    assertThat(metric("daflow_training_jobs_running")).isZero();
    assertThat(metric("daflow_nd4j_offheap_bytes")).isPositive();
    assertThat(metric("daflow_nd4j_physical_bytes")).isPositive();
    // Finished jobs leave no per-job series behind.
    assertThat(metrics).doesNotContain("job=\"job-cancel\"").contains("kafka_consumer_", "jvm_");
  }

  /** The value of one series in {@code /q/metrics}, 0 when absent. */
  private static double metric(String series) {
    String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
    for (String line : body.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /** Reads every event on {@code daflow.training} in the background. */
  static final class EventCollector implements AutoCloseable {
    private final List<EventEnvelope<DaflowEvent>> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    EventCollector(String bootstrap) {
      KafkaSettings settings = new KafkaSettings(bootstrap, "trainer-test-observer");
      EventCodec codec = EventCodec.forService("trainer-test");
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(settings.consumer("observer-" + UUID.randomUUID()));
      consumer.subscribe(List.of(Topics.TRAINING));
      thread = new Thread(() -> {
        try (consumer) {
          while (running) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              try {
                seen.add(codec.decode(r));
              } catch (EventFormatException e) {
                throw new IllegalStateException("the trainer published a malformed event", e);
              }
            }
          }
        }
      }, "test-event-collector");
      thread.setDaemon(true);
      thread.start();
    }

    /** Every event of a job so far, in order. */
    List<EventEnvelope<DaflowEvent>> of(String jobId) {
      return seen.stream().filter(e -> e.key().equals(jobId)).toList();
    }

    <E extends DaflowEvent> List<E> all(Class<E> type, String jobId) {
      return of(jobId).stream().map(EventEnvelope::event).filter(type::isInstance)
          .map(type::cast).toList();
    }

    /** Waits for the first event of that type for the job. */
    @SuppressWarnings("unchecked")
    <E extends DaflowEvent> EventEnvelope<E> await(Class<E> type, String jobId)
        throws InterruptedException {
      Predicate<EventEnvelope<DaflowEvent>> match =
          e -> e.key().equals(jobId) && type.isInstance(e.event());
      long until = System.nanoTime() + JOB_TIMEOUT.toNanos();
      while (System.nanoTime() < until) {
        for (EventEnvelope<DaflowEvent> e : seen) {
          if (match.test(e)) {
            return (EventEnvelope<E>) (EventEnvelope<?>) e;
          }
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no " + type.getSimpleName() + " for " + jobId + " within "
          + JOB_TIMEOUT.toSeconds() + " s; events of the job: " + of(jobId));
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
