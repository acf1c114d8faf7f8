package dev.daflow.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.daflow.contract.Method;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.events.ModelPromoted;
import dev.daflow.events.Topics;
import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.inference.service.Admission;
import dev.daflow.inference.service.StoreSync;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.model.Prediction;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.ml.train.TrainingListener;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.config.CommonConfig;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageConfig;
import dev.daflow.testing.LocalStackResource;
import dev.daflow.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole service against a real Kafka broker and a real S3 server: a tiny LeNet is trained
 * here, its bundle stored and promoted; then the service must load it, classify pictures as the
 * model does in-process, answer tensors in both datatypes alike, refuse every bad input with its
 * status and a JSON error, and swap in version 2 while requests keep succeeding.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceFlowTest {
  @BeforeEach
  void authorize() {
    TestTokens.authorizeRestAssured(); // every role; the matrix (AuthMatrixTest) checks the rest
  }

  static final String MODEL = "digits";
  static final int PICTURES = 50;

  @Inject
  InferenceConfig config;

  @Inject
  CommonConfig common;

  @Inject
  Admission admission;
  @Inject
  StoreSync storeSync;
  @TestHTTPResource("/")
  URL base;

  static ObjectStore store;
  static EventPublisher publisher;
  static KafkaSettings kafka;
  static Model trained;
  static ImageDataset pictures;
  static String bundleKey1;
  static String sha1;

  @BeforeEach
  void connect() {
    if (store == null) {
      StorageConfig s = common.storage().toStorageConfig();
      store = new ObjectStore(s);
      kafka = new KafkaSettings(common.kafka().bootstrapServers(), "inference-flow-test");
      publisher = new EventPublisher(kafka, EventCodec.forService("evaluator-service"));
    }
  }

  @AfterAll
  static void close() {
    if (publisher != null) {
      publisher.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  @Order(1)
  void startsLiveButNotReadyWithoutAModel() {
    assertThat(config.inference().maxBatch()).isEqualTo(256);
    assertThat(config.inference().maxBodyBytes().asLongValue()).isEqualTo(4L * 1024 * 1024);
    assertThat(common.storage().toStorageConfig().buckets())
        .isEqualTo(StorageConfig.Buckets.DEFAULT);
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    given().get("/v2/health/live").then().statusCode(200).body("live", is(true));
    given().get("/v2").then().statusCode(200)
        .body("name", is("daflow-inference-service"));
    given().get("/v2/health/ready").then().statusCode(503).body("ready", is(false));
    given().get("/q/health/ready").then().statusCode(503)
        .body("checks.find { it.name == 'models' }.status", is("DOWN"));
    given().get("/v2/models/" + MODEL).then().statusCode(404)
        .contentType(ContentType.JSON).body("error", containsString("not known"));
    // The counters exist from the start, at zero: a fresh dashboard draws 0, not "no data".
    assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).contains(
        "daflow_inference_model_loads_total{outcome=\"loaded\"} 0.0",
        "daflow_inference_model_loads_total{outcome=\"failed\"} 0.0",
        "daflow_events_malformed_total{topic=\"daflow.models\"} 0.0");
  }

  @Test
  @Order(2)
  void aPromotedModelIsLoadedAndServed() throws IOException {
    long start = System.nanoTime();
    // 2,000 MNIST pictures in batches of 32: about 60 steps, ~0.85 accuracy in a few seconds
    // (1,000 in batches of 64, 16 steps, stay near 0.4). The job's own evaluation reads only
    // the first 500 pictures of each test split.
    TrainingConfig c = TrainingConfig.defaults(Method.SOURCE_ONLY, "lenet").withEpochs(1)
        .withBatchSize(32);
    DatasetCatalog catalog = new DatasetCatalog(datasets(), Path.of("target", "dataset-cache"));
    DatasetSource quick = (name, split, limit) ->
        catalog.load(name, split, split == DatasetSource.Split.TEST ? 500 : limit);
    JobResult result = new JobRunner(quick).run(new JobSpec("mnist", "usps", c, 2000),
        new TrainingListener() {}, CancellationToken.none(), null);
    trained = result.model();
    pictures = catalog.load("mnist", DatasetSource.Split.TEST, PICTURES);
    System.out.printf("trained the test model in %.1f s, MNIST test accuracy %.3f%n",
        (System.nanoTime() - start) / 1e9, result.sourceTest().accuracy());

    bundleKey1 = ObjectKeys.bundle("job-1");
    sha1 = upload(bundleKey1, trained);
    promote(MODEL, "job-1", bundleKey1, sha1, 1);
    await("model " + MODEL + " ready", () -> given().get("/v2/models/" + MODEL + "/ready")
        .statusCode() == 200);

    given().get("/v2/models/" + MODEL).then().statusCode(200)
        .body("name", is(MODEL))
        .body("versions", equalTo(List.of("1")))
        .body("platform", is("dl4j"))
        .body("inputs[0].name", is("input"))
        .body("inputs[0].datatype", is("UINT8"))
        .body("inputs[0].shape", equalTo(List.of(-1, 28, 28, 1)))
        .body("outputs[0].name", is("probabilities"))
        .body("outputs[0].shape", equalTo(List.of(-1, 10)));
    await("service ready", () -> given().get("/q/health/ready").statusCode() == 200);
    given().get("/q/health/ready").then()
        .body("checks.find { it.name == 'kafka' }.status", is("UP"))
        .body("checks.find { it.name == 'object-store' }.status", is("UP"))
        .body("checks.find { it.name == 'models' }.data.detail", is(MODEL + " v1"));
    given().get("/v2/health/ready").then().statusCode(200).body("ready", is(true));
  }

  @Test
  @Order(3)
  void classifiesPicturesAsTheModelDoesInProcess() throws IOException {
    int correct = 0;
    for (int i = 0; i < PICTURES; i++) {
      byte[] png = png(pictures, i);
      Prediction expected = trained.classify(png);
      JsonPath answer = given().contentType("image/png").body(png)
          .post("/v2/models/" + MODEL + "/classify")
          .then().statusCode(200).extract().jsonPath();
      assertThat(answer.getString("model")).isEqualTo(MODEL);
      assertThat(answer.getInt("version")).isEqualTo(1);
      assertThat(answer.getString("label")).isEqualTo(expected.label());
      Map<String, Float> probabilities = answer.getMap("probabilities", String.class,
          Float.class);
      assertThat(probabilities.keySet()).containsExactlyElementsOf(trained.classNames());
      for (int k = 0; k < expected.probabilities().length; k++) {
        assertThat(probabilities.get(trained.classNames().get(k)))
            .isCloseTo(expected.probabilities()[k], offset(1e-5f));
      }
      if (expected.label().equals(pictures.classNames().get(pictures.labels()[i]))) {
        correct++;
      }
    }
    assertThat(correct / (double) PICTURES).as("accuracy on %d MNIST test pictures", PICTURES)
        .isGreaterThan(0.6);
  }

  @Test
  @Order(4)
  void uint8AndFp32BatchesGiveTheSameLabels() {
    Prediction[] expected = trained.classify(pictures);
    List<String> expectedLabels = Arrays.stream(expected).map(Prediction::label)
        .toList();

    JsonPath uint8 = given().contentType(ContentType.JSON)
        .body(inferBody("UINT8", pictures, "batch-1", null))
        .post("/v2/models/" + MODEL + "/infer").then().statusCode(200).extract().jsonPath();
    assertThat(uint8.getString("model_name")).isEqualTo(MODEL);
    assertThat(uint8.getString("model_version")).isEqualTo("1");
    assertThat(uint8.getString("id")).isEqualTo("batch-1");
    assertThat(uint8.getString("outputs[0].name")).isEqualTo("probabilities");
    assertThat(uint8.getString("outputs[0].datatype")).isEqualTo("FP32");
    assertThat(uint8.getList("outputs[0].shape", Integer.class)).containsExactly(PICTURES, 10);
    assertThat(uint8.getList("outputs[0].data")).hasSize(PICTURES * 10);
    assertThat(uint8.getString("outputs[1].name")).isEqualTo("label");
    assertThat(uint8.getString("outputs[1].datatype")).isEqualTo("BYTES");
    assertThat(uint8.getList("outputs[1].data", String.class)).isEqualTo(expectedLabels);
    List<Float> p = uint8.getList("outputs[0].data", Float.class);
    assertThat(p.get(3 * 10 + 7)).isCloseTo(expected[3].probabilities()[7],
        offset(1e-5f));

    JsonPath fp32 = given().contentType(ContentType.JSON)
        .body(inferBody("FP32", pictures, null, List.of("label")))
        .post("/v2/models/" + MODEL + "/versions/1/infer").then().statusCode(200).extract()
        .jsonPath();
    assertThat(fp32.getString("id")).isNull();
    assertThat(fp32.getList("outputs")).hasSize(1);
    assertThat(fp32.getList("outputs[0].data", String.class)).isEqualTo(expectedLabels);

    // The binary data extension: JSON without 'data', then the raw UINT8 values.
    byte[] px = pictures.pixels();
    byte[] head = ("{\"id\":\"batch-2\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\","
        + "\"shape\":[" + pictures.count() + "," + pictures.height() + "," + pictures.width() + ","
        + pictures.channels() + "],\"parameters\":{\"binary_data_size\":" + px.length + "}}]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(head, head.length + px.length);
    System.arraycopy(px, 0, body, head.length, px.length);
    JsonPath binary = given().contentType("application/octet-stream")
        .header("Inference-Header-Content-Length", head.length).body(body)
        .post("/v2/models/" + MODEL + "/infer").then().statusCode(200).extract().jsonPath();
    assertThat(binary.getString("id")).isEqualTo("batch-2");
    assertThat(binary.getList("outputs[1].data", String.class)).isEqualTo(expectedLabels);
    assertThat(binary.getList("outputs[0].data", Float.class))
        .isEqualTo(uint8.getList("outputs[0].data", Float.class));
  }

  @Test
  @Order(5)
  void badInputsAreRefusedWithTheirStatusAndAJsonError() throws IOException {
    String infer = "/v2/models/" + MODEL + "/infer";
    ImageDataset one = pictures.slice(0, 1);
    refused(400, infer, ContentType.JSON, tensor("UINT8", "[1,28,28]", 784, "1"), "dimensions");
    refused(400, infer, ContentType.JSON, tensor("UINT8", "[1,28,28,2]", 1568, "1"),
        "2 channels");
    refused(400, infer, ContentType.JSON, tensor("INT32", "[1,28,28,1]", 784, "1"),
        "datatype 'INT32' is not supported");
    refused(400, infer, ContentType.JSON, tensor("UINT8", "[1,28,28,1]", 783, "1"),
        "holds 784 values, 'data' has 783");
    refused(400, infer, ContentType.JSON, tensor("UINT8", "[1,28,28,1]", 784, "300"),
        "is not a UINT8");
    refused(400, infer, ContentType.JSON, tensor("FP32", "[1,28,28,1]", 784, "2.5"),
        "outside 0..1");
    refused(400, infer, ContentType.JSON, tensor("UINT8", "[257,1,1,1]", 257, "1"),
        "more than the 256 allowed");
    refused(400, infer, ContentType.JSON, "{\"inputs\": [", "malformed JSON");
    refused(400, infer, ContentType.JSON, inferBody("UINT8", one, null, List.of("logits")),
        "unknown output 'logits'");
    refused(404, "/v2/models/nope/infer", ContentType.JSON, inferBody("UINT8", one, null, null),
        "not known");
    refused(404, "/v2/models/" + MODEL + "/versions/7/infer", ContentType.JSON,
        inferBody("UINT8", one, null, null), "version '7' is not served");
    byte[] huge = new byte[4 * 1024 * 1024 + 1];
    Arrays.fill(huge, (byte) ' ');
    refused(413, infer, ContentType.JSON, huge, "more than the 4194304 allowed");

    given().get(infer).then().statusCode(405).contentType(ContentType.JSON)
        .body("error", notNullValue());
    given().get("/v2/nowhere").then().statusCode(404).contentType(ContentType.JSON)
        .body("error", notNullValue());

    String classify = "/v2/models/" + MODEL + "/classify";
    refused(400, classify, "image/png", "this is not a picture".getBytes(), "not a PNG or JPEG");
    refused(400, classify, "text/plain", png(pictures, 0), "Content-Type 'text/plain'");
    refused(404, "/v2/models/nope/classify", "image/png", png(pictures, 0), "not known");

    // Every turn taken: the next request waits queue-timeout, then 429 with Retry-After.
    List<Admission.Turn> held = new ArrayList<>();
    try {
      for (int i = 0; i < config.inference().maxConcurrent(); i++) {
        held.add(admission.enter());
      }
      Response busy = given().contentType("image/png").body(png(pictures, 0)).post(classify);
      assertThat(busy.statusCode()).isEqualTo(429);
      assertThat(busy.header("Retry-After")).isEqualTo("1");
      assertThat(busy.jsonPath().getString("error")).contains("busy");
    } finally {
      held.forEach(Admission.Turn::close);
    }
    given().contentType("image/png").body(png(pictures, 0)).post(classify).then()
        .statusCode(200);
  }

  @Test
  @Order(6)
  void aPromotionThatCannotBeLoadedIs503() {
    promote("ghost", "job-ghost", ObjectKeys.bundle("job-ghost"), "c".repeat(64), 1);
    await("ghost's load failed", () -> given().get("/v2/models/ghost/ready").asString()
        .contains("failed to load"));
    given().get("/v2/models/ghost/ready").then().statusCode(503)
        .body("error", containsString("version 1 failed to load"));
    given().get("/v2/models/ghost").then().statusCode(503);
    given().contentType("image/png").body(new byte[] {1}).post("/v2/models/ghost/classify")
        .then().statusCode(503).body("error", notNullValue());
  }

  @Test
  @Order(7)
  void version2IsSwappedInWhileRequestsKeepSucceeding() throws Exception {
    // Version 2: the same weights with another card, so another bundle and SHA-256.
    Model v2 = trained.withCard(trained.card().withMetrics(Map.of("version", 2.0)));
    String key2 = ObjectKeys.bundle("job-2");
    String sha2 = upload(key2, v2);
    assertThat(sha2).isNotEqualTo(sha1);

    HttpClient http = HttpClient.newHttpClient();
    byte[] png = png(pictures, 0);
    String body = inferBody("UINT8", pictures.slice(0, 8), null, null);
    AtomicBoolean running = new AtomicBoolean(true);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      boolean pictureClient = t == 0;
      Thread client = new Thread(() -> {
        while (running.get()) {
          try {
            HttpRequest request = pictureClient
                ? HttpRequest.newBuilder(uri("v2/models/" + MODEL + "/classify"))
                    .header("Authorization", TestTokens.allRolesHeader())
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build()
                : HttpRequest.newBuilder(uri("v2/models/" + MODEL + "/infer"))
                    .header("Authorization", TestTokens.allRolesHeader())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() == 200) {
              JsonPath json = JsonPath.from(r.body());
              String v = pictureClient ? json.getString("version")
                  : json.getString("model_version");
              versions.computeIfAbsent(v, s -> new AtomicInteger()).incrementAndGet();
            }
          } catch (IOException e) {
            statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      client.start();
      clients.add(client);
    }
    try {
      await("requests before the swap", () -> versions.containsKey("1")
          && versions.get("1").get() >= 4);
      promote(MODEL, "job-2", key2, sha2, 2);
      await("version 2 served", () -> given().get("/v2/models/" + MODEL).jsonPath()
          .getList("versions").equals(List.of("2")));
      await("requests after the swap", () -> versions.containsKey("2")
          && versions.get("2").get() >= 4);
    } finally {
      running.set(false);
      for (Thread client : clients) {
        client.join(10_000);
      }
    }
    System.out.println("statuses during the swap: " + statuses + ", versions: " + versions);
    assertThat(statuses.keySet()).containsOnly(200);
    assertThat(versions.keySet()).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  @Order(8)
  void anOlderOrUnverifiableVersionNeverReplacesTheServedOne() {
    // A late copy of version 1 (under another event id, or the consumer would drop it as a
    // duplicate), and a version 3 whose stored bytes are not the promoted ones.
    publisher.publish(new ModelPromoted(MODEL, "job-1", bundleKey1, sha1, 1,
        "best-source-accuracy", Map.of()));
    promote(MODEL, "job-3", ObjectKeys.bundle("job-2"), sha1, 3);
    await("both loads done", () -> metric("daflow_inference_model_loads_total{outcome=\"skipped\"")
        >= 1 && metric("daflow_inference_model_loads_total{outcome=\"failed\"") >= 2);
    given().get("/v2/models/" + MODEL).then().statusCode(200)
        .body("versions", equalTo(List.of("2")));
    assertThat(metric("daflow_inference_model_version{model=\"" + MODEL + "\""))
        .isEqualTo(2.0);
  }

  @Test
  @Order(9)
  void modelRecordsInTheStoreAreLoaded() {
    String record = "{\"modelName\":\"from-record\",\"versions\":[{\"version\":4,"
        + "\"jobId\":\"job-1\",\"bundleKey\":\"" + bundleKey1 + "\",\"sha256\":\"" + sha1
        + "\"}]}";
    String key = ObjectKeys.modelRecord("from-record");
    store.put(key, record.getBytes(), "application/json");
    storeSync.scan();
    await("from-record ready", () -> given().get("/v2/models/from-record/ready")
        .statusCode() == 200);
    given().get("/v2/models/from-record").then().body("versions", equalTo(List.of("4")));
  }

  @Test
  @Order(10)
  void metricsAreExposed() {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer())) {
      producer.send(new ProducerRecord<>(Topics.MODELS, "junk", "not an event".getBytes()));
    }
    await("malformed record counted",
        () -> metric("daflow_events_malformed_total{topic=\"daflow.models\"") >= 1);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("daflow_inference_seconds_bucket{endpoint=\"classify\",model=\"digits\"")
        .contains("daflow_inference_seconds_count{endpoint=\"infer\",model=\"digits\"")
        .contains("daflow_inference_requests_total{endpoint=\"infer\",model=\"digits\","
            + "status=\"400\"")
        .contains("daflow_inference_requests_total{endpoint=\"classify\",model=\"digits\","
            + "status=\"429\"")
        .contains("daflow_inference_requests_total{endpoint=\"infer\",model=\"_unknown\","
            + "status=\"404\"")
        .contains("daflow_inference_pictures_total{model=\"digits\"")
        .contains("daflow_inference_batch_pictures_bucket{model=\"digits\",le=\"1.0\"")
        .contains("daflow_inference_batch_requests_count{model=\"digits\"")
        .contains("daflow_inference_batch_wait_seconds_bucket{model=\"digits\"")
        .contains("daflow_inference_model_loads_total{outcome=\"loaded\"")
        .contains("daflow_nd4j_offheap_bytes")
        .contains("kafka_consumer_")
        .contains("jvm_");
    assertThat(metric("daflow_nd4j_offheap_bytes")).isPositive();
    // Every classified picture went through a forward pass of the batcher.
    assertThat(metric("daflow_inference_batch_pictures_sum{model=\"digits\""))
        .isEqualTo(metric("daflow_inference_pictures_total{model=\"digits\""));
  }

  // ---- helpers

  private static Path datasets() {
    String prop = System.getProperty("test.datasets");
    Path root = prop != null && !prop.isBlank() && !prop.contains("${") ? Path.of(prop)
        : Path.of("..", "..", "shared", "datasets");
    root = root.toAbsolutePath().normalize();
    assertThat(Files.isDirectory(root)).as("datasets mirror %s", root).isTrue();
    return root;
  }

  private static String upload(String key, Model model) throws IOException {
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    ModelBundle.write(model, bundle);
    return store.put(key, bundle.toByteArray(),
        ObjectStore.OCTET_STREAM).sha256();
  }

  private static void promote(String model, String jobId, String key, String sha, int version) {
    publisher.publish(new ModelPromoted(model, jobId, key, sha, version, "best-source-accuracy",
        Map.of()), EventIds.of(EventType.MODEL_PROMOTED, model, version));
  }

  private static byte[] png(ImageDataset d, int index) throws IOException {
    BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        img.getRaster().setSample(x, y, 0, d.pixel(index, y, x, 0));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** An OIP request with the pictures as one tensor; FP32 values are bytes / 255. */
  private static String inferBody(String datatype, ImageDataset d, String id,
      List<String> outputs) {
    StringBuilder sb = new StringBuilder("{");
    if (id != null) {
      sb.append("\"id\":\"").append(id).append("\",");
    }
    sb.append("\"inputs\":[{\"name\":\"input\",\"datatype\":\"").append(datatype)
        .append("\",\"shape\":[").append(d.count()).append(',').append(d.height()).append(',')
        .append(d.width()).append(',').append(d.channels()).append("],\"data\":[");
    byte[] px = d.pixels();
    for (int i = 0; i < px.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      int v = px[i] & 0xff;
      sb.append(datatype.equals("FP32") ? Float.toString(v / 255f) : Integer.toString(v));
    }
    sb.append("]}]");
    if (outputs != null) {
      sb.append(",\"outputs\":[");
      for (int i = 0; i < outputs.size(); i++) {
        sb.append(i > 0 ? "," : "").append("{\"name\":\"").append(outputs.get(i)).append("\"}");
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  /** A request whose data is {@code count} copies of {@code value}. */
  private static String tensor(String datatype, String shape, int count, String value) {
    return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"" + datatype + "\",\"shape\":"
        + shape + ",\"data\":[" + String.join(",", Collections.nCopies(count, value))
        + "]}]}";
  }

  private static void refused(int status, String path, Object contentType, Object body,
      String message) {
    var request = contentType instanceof ContentType ct ? given().contentType(ct)
        : given().contentType((String) contentType);
    Response r = (body instanceof byte[] bytes ? request.body(bytes) : request.body(body))
        .post(path);
    assertThat(r.statusCode()).as("%s -> %s", path, r.asString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.jsonPath().getString("error")).contains(message);
  }

  private double metric(String prefix) {
    String metrics = given().get("/q/metrics").asString();
    return metrics.lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private URI uri(String path) {
    return URI.create(base.toString() + path);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 60 s waiting for: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }
}
