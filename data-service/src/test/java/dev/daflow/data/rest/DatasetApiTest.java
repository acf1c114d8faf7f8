package dev.daflow.data.rest;

import static dev.daflow.data.TestArchives.entries;
import static dev.daflow.data.TestArchives.idxImages;
import static dev.daflow.data.TestArchives.idxLabels;
import static dev.daflow.data.TestArchives.imageFolder;
import static dev.daflow.data.TestArchives.tarGz;
import static dev.daflow.data.TestArchives.zip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.sun.net.httpserver.HttpServer;
import dev.daflow.data.DatasetTopic;
import dev.daflow.events.DaflowEvent;
import dev.daflow.events.DatasetIngested;
import dev.daflow.events.DatasetDeleted;
import dev.daflow.events.DatasetRejected;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventIds;
import dev.daflow.events.EventType;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.testing.LocalStackResource;
import dev.daflow.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data-service against a real Kafka broker and a real S3 server (the local stack's), with
 * the shared datasets folder as its mirror.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class DatasetApiTest {
  @BeforeEach
  void authorize() {
    TestTokens.authorizeRestAssured(); // every role; the matrix (AuthMatrixTest) checks the rest
  }

  private static ObjectStore store;
  private static DatasetStore datasets;

  @BeforeAll
  static void connect() {
    store = new ObjectStore(LocalStackResource.stack().storage());
    datasets = new DatasetStore(store);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @BeforeEach
  void ready() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (given().get("/q/health/ready").statusCode() != 200) {
      assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static List<EventEnvelope<DaflowEvent>> events(String dataset) throws Exception {
    return DatasetTopic.events(LocalStackResource.stack().kafka().bootstrapServers()).stream()
        .filter(e -> e.key().equals(dataset)).toList();
  }

  /** The dataset's events once there are at least {@code n} (a deadline of 30 s). */
  private static List<EventEnvelope<DaflowEvent>> awaitEvents(String dataset, int n)
      throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    List<EventEnvelope<DaflowEvent>> got = events(dataset);
    while (got.size() < n && System.nanoTime() < deadline) {
      got = events(dataset);
    }
    return got;
  }

  private static List<String> objects(String dataset) {
    return store.list(ObjectKeys.datasetPrefix(dataset)).stream().map(o -> o.key()).toList();
  }

  private static Response upload(String name, String format, byte[] body) {
    return given().contentType("application/octet-stream").body(body)
        .queryParam("format", format).post("/datasets/upload/" + name);
  }

  @Test
  void catalogUspsIsIngestedOnceEvenWhenAskedTwiceAtOnce() throws Exception {
    CompletableFuture<Response> a = CompletableFuture.supplyAsync(
        () -> given().post("/datasets/catalog/usps"));
    CompletableFuture<Response> b = CompletableFuture.supplyAsync(
        () -> given().post("/datasets/catalog/usps"));
    List<Response> answers = List.of(a.get(), b.get());
    assertThat(answers).extracting(Response::statusCode).containsExactlyInAnyOrder(201, 200);
    for (Response r : answers) {
      r.then().body("dataset", is("usps")).body("origin", is("catalog:usps"))
          .body("splits.train.count", is(7291)).body("splits.test.count", is(2007))
          .body("shape.channels", is(1)).body("shape.height", is(16))
          .body("shape.width", is(16)).body("classNames", hasItem("9"));
    }
    Response created = answers.get(0).statusCode() == 201 ? answers.get(0) : answers.get(1);
    created.then().header("Location", containsString("/datasets/usps"));
    String sha256 = store.stat(ObjectKeys.datasetManifest("usps")).sha256();
    assertThat(created.header("ETag")).contains(sha256);

    // Again, later: still a no-op.
    given().post("/datasets/catalog/usps").then().statusCode(200).body("dataset", is("usps"));

    List<EventEnvelope<DaflowEvent>> events = events("usps");
    assertThat(events).hasSize(1);
    EventEnvelope<DaflowEvent> e = events.get(0);
    assertThat(e.type()).isEqualTo(EventType.DATASET_INGESTED);
    assertThat(e.id()).isEqualTo(EventIds.of(EventType.DATASET_INGESTED, "usps", sha256));
    assertThat(e.source().toString()).isEqualTo("/daflow/data-service");
    DatasetIngested ingested = (DatasetIngested) e.event();
    assertThat(ingested.origin()).isEqualTo("catalog");
    assertThat(ingested.splits()).isEqualTo(Map.of("train", 7291, "test", 2007));
    assertThat(ingested.shape()).isEqualTo(new DatasetIngested.ImageShape(1, 16, 16));
    assertThat(ingested.classNames()).isEqualTo(ImageDataset.DIGITS);
    assertThat(ingested.manifestKey()).isEqualTo("datasets/usps/manifest.json");
    assertThat(ingested.sha256()).isEqualTo(sha256);

    // What a trainer reads back is exactly what the reader decodes.
    DatasetCatalog catalog = new DatasetCatalog(
        Path.of(System.getProperty("test.datasets", "../../shared/datasets")),
        Path.of("target", "test-catalog-cache"));
    for (Split split : Split.values()) {
      ImageDataset stored = datasets.load("usps", split);
      ImageDataset read = catalog.load("usps", split);
      assertThat(stored.count()).isEqualTo(read.count());
      assertThat(stored.labels()).isEqualTo(read.labels());
      assertThat(stored.pixels()).isEqualTo(read.pixels());
    }

    given().get("/datasets/usps").then().statusCode(200).body("splits.train.count", is(7291))
        .header("ETag", containsString(sha256));
    given().get("/datasets").then().statusCode(200).body("dataset", hasItem("usps"));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("daflow_dataset_pictures{dataset=\"usps\",split=\"train\"} 7291.0")
        .contains("daflow_dataset_pictures{dataset=\"usps\",split=\"test\"} 2007.0")
        // Two shards: 24-byte headers, then a 4-byte label and 256 pixels per picture.
        .contains("daflow_dataset_bytes{dataset=\"usps\"} 2417528.0")
        .containsPattern("daflow_dataset_ingestions_total\\{outcome=\"noop\"\\} [1-9]")
        .contains("daflow_dataset_ingest_seconds_count{outcome=\"ingested\"}");

    // The preview: made once from every picture, stored with the dataset, read back after.
    String page = given().get("/datasets/usps/preview").then().statusCode(200)
        .contentType(containsString("text/html")).extract().asString();
    String previewKey = ObjectKeys.datasetPreview("usps");
    String made = store.stat(previewKey).etag(); // the preview holds the time it was made
    int[] testCounts = datasets.load("usps", Split.TEST).classCounts();
    assertThat(page).contains("<h1>Dataset usps</h1>", sha256, "2,417,528 bytes", "16 x 16")
        .contains("<tr><td>test</td><td>2007</td><td>" + testCounts[0] + "</td><td>"
            + testCounts[1] + "</td>")
        .doesNotContain("<script");
    // 10 classes x 8 pictures x 2 splits, and the counts chart
    assertThat(page.split("<img class=\"figure\"", -1).length - 1).isEqualTo(160);
    assertThat(page.split("<svg class=\"figure\"", -1).length - 1).isEqualTo(1);
    assertThat(given().get("/datasets/usps/preview").then().statusCode(200).extract()
        .asString()).isEqualTo(page);
    assertThat(store.stat(previewKey).etag()).isEqualTo(made);
    given().get("/datasets/nothing-here/preview").then().statusCode(404)
        .body("error", is("unknown dataset"));
    given().get("/datasets/a..b/preview").then().statusCode(400);
  }

  @Test
  void unknownCatalogNameIs404ListingTheKnownNames() {
    given().post("/datasets/catalog/cifar10").then().statusCode(404)
        .body("error", is("unknown catalog dataset"))
        .body("detail", containsString("known: mnist, usps, svhn, mnist64, mnist64-bg"));
    given().post("/datasets/catalog/mnist-m").then().statusCode(404)
        .body("detail", containsString("mnist-m-archive"));
    given().get("/datasets/catalog").then().statusCode(200)
        .body("name", hasItem("svhn"))
        .body("find { it.name == 'mnist' }.files[0].md5",
            is("6bbc9ace898e44ae57da46a324031adb"));
  }

  @Test
  void aCorruptZipIsRefusedAnnouncedAndLeavesNothing() throws Exception {
    byte[] good = zip(imageFolder("", 2, "a", "b"));
    upload("broken-zip", "image-folder-zip", Arrays.copyOf(good, good.length - 40))
        .then().statusCode(422).body("error", is("dataset rejected"))
        .body("detail", startsWith("upload: corrupt or truncated zip archive"));
    assertThat(events("broken-zip")).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventType.DATASET_REJECTED);
      DatasetRejected r = (DatasetRejected) e.event();
      assertThat(r.origin()).isEqualTo("upload");
      assertThat(r.reason()).startsWith("upload: corrupt or truncated zip archive");
    });
    assertThat(objects("broken-zip")).isEmpty();
    given().get("/datasets/broken-zip").then().statusCode(404);
  }

  @Test
  void aTruncatedMnistIdxFileIsRefusedNamingIt() throws Exception {
    Map<String, byte[]> e = entries();
    e.put("mnist/train-images-idx3-ubyte", idxImages(30, 0));
    e.put("mnist/train-labels-idx1-ubyte", idxLabels(30));
    e.put("mnist/t10k-images-idx3-ubyte", Arrays.copyOf(idxImages(10, 1), 2000));
    e.put("mnist/t10k-labels-idx1-ubyte", idxLabels(10));
    upload("cut-mnist", "mnist-idx-archive", zip(e)).then().statusCode(422)
        .body("detail", is("mnist/t10k-images-idx3-ubyte: truncated: expected 7840 data bytes "
            + "after the header"));
    assertThat(events("cut-mnist")).singleElement()
        .satisfies(ev -> assertThat(((DatasetRejected) ev.event()).reason())
            .contains("t10k-images-idx3-ubyte: truncated"));
    assertThat(objects("cut-mnist")).isEmpty();
    upload("cut-mnist", "no-such-format", zip(e)).then().statusCode(422)
        .body("detail", startsWith("unsupported format 'no-such-format'; supported: "));
  }

  @Test
  void anImageFolderArchiveIsIngestedListedShownAndDeleted() throws Exception {
    // Leftovers of an ingestion that died before its manifest: removed by the next one.
    String stray = ObjectKeys.datasetShard("pets", "train", 9);
    store.put(stray, new byte[] {1, 2, 3}, null);
    Map<String, byte[]> entries = imageFolder("pets/", 3, "cat", "dog");
    byte[] noise = new byte[300_000]; // not a picture: ignored, but makes a body of some size
    new java.util.Random(1).nextBytes(noise);
    entries.put("pets/notes.bin", noise);
    byte[] archive = tarGz(entries);
    upload("pets", "image-folder-zip", archive).then().statusCode(201)
        .body("splits.train.count", is(6)).body("splits.test.count", is(6))
        .body("classNames", equalTo(List.of("cat", "dog")))
        .body("shape.height", is(8)).body("origin", is("upload:sha256:" + HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(archive))));
    assertThat(objects("pets")).doesNotContain(stray).contains("datasets/pets/manifest.json");
    ImageDataset train = datasets.load("pets", Split.TRAIN);
    assertThat(train.labels()).containsExactly(0, 0, 0, 1, 1, 1);
    assertThat(train.pixel(4, 0, 1, 0)).isEqualTo(12); // class 1, picture 1: seed 11, column 1
    upload("pets", "image-folder-zip", archive).then().statusCode(200);
    upload("pets", "image-folder-zip", zip(imageFolder("", 1, "cat", "dog")))
        .then().statusCode(409).body("error", is("dataset exists"));
    assertThat(events("pets")).extracting(EventEnvelope::type)
        .containsExactly(EventType.DATASET_INGESTED);

    given().get("/datasets").then().statusCode(200).body("dataset", hasItem("pets"));
    assertThat(given().get("/datasets/pets/preview").then().statusCode(200).extract().asString())
        .contains("<th>cat</th>", "<th>dog</th>");
    given().delete("/datasets/pets").then().statusCode(204); // the preview goes with it
    // Announced after the deletion, naming who deleted it.
    assertThat(awaitEvents("pets", 2)).extracting(EventEnvelope::type)
        .containsExactly(EventType.DATASET_INGESTED, EventType.DATASET_DELETED);
    assertThat(awaitEvents("pets", 2).get(1)).satisfies(e -> {
      assertThat(e.principal()).isEqualTo("jwt:test-user");
      assertThat(((DatasetDeleted) e.event()).origin()).isEqualTo("upload");
    });
    given().get("/datasets/pets/preview").then().statusCode(404);
    given().get("/datasets/pets").then().statusCode(404)
        .body("error", is("unknown dataset"))
        .body("detail", is("dataset 'pets' is not ingested"));
    given().delete("/datasets/pets").then().statusCode(404);
    assertThat(objects("pets")).isEmpty();
    assertThat(given().get("/q/metrics").asString()).doesNotContain("dataset=\"pets\"");
  }

  @Test
  void aUrlIsDownloadedAndIngestedOnce() throws Exception {
    Map<String, byte[]> e = entries();
    e.put("train-images-idx3-ubyte", idxImages(12, 5));
    e.put("train-labels-idx1-ubyte", idxLabels(12));
    e.put("t10k-images-idx3-ubyte", idxImages(4, 6));
    e.put("t10k-labels-idx1-ubyte", idxLabels(4));
    byte[] archive = tarGz(e);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/files/tiny.tar.gz", x -> {
      x.sendResponseHeaders(200, archive.length);
      x.getResponseBody().write(archive);
      x.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
      Map<String, String> request = Map.of("name", "tiny-mnist", "url", base + "tiny.tar.gz",
          "format", "mnist-idx-archive");
      given().contentType("application/json").body(request).post("/datasets")
          .then().statusCode(201).body("splits.train.count", is(12))
          .body("origin", is(base + "tiny.tar.gz"));
      given().contentType("application/json").body(request).post("/datasets")
          .then().statusCode(200);
      assertThat(events("tiny-mnist")).hasSize(1);

      given().contentType("application/json")
          .body(Map.of("name", "gone", "url", base + "missing.zip", "format", "usps-archive"))
          .post("/datasets").then().statusCode(502)
          .body("detail", is("cannot download " + base + "missing.zip: HTTP status 404"));
      assertThat(events("gone")).singleElement()
          .satisfies(ev -> assertThat(((DatasetRejected) ev.event()).origin()).isEqualTo("url"));
      given().contentType("application/json")
          .body(Map.of("name", "local", "url", "file:///etc/passwd", "format", "usps-archive"))
          .post("/datasets").then().statusCode(400).body("error", is("invalid request"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void urlsThePolicyRefusesAre400AndDownloadedBytesAreNeverEchoed() throws Exception {
    // The test profile allows 127.0.0.1 only (daflow.data.download.allowed-hosts).
    Map<String, byte[]> e = entries();
    e.put("train-images-idx3-ubyte", idxImages(12, 5));
    byte[] archive = tarGz(e);
    byte[] page = "<html>internal: do not show</html>".getBytes(StandardCharsets.UTF_8);
    AtomicInteger archiveHits = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = server.getAddress().getPort();
    server.createContext("/files/tiny.tar.gz", x -> {
      archiveHits.incrementAndGet();
      x.sendResponseHeaders(200, archive.length);
      x.getResponseBody().write(archive);
      x.close();
    });
    server.createContext("/files/moved.tar.gz", x -> {
      x.getResponseHeaders().add("Location", "http://localhost:" + port + "/files/tiny.tar.gz");
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    server.createContext("/files/page.zip", x -> {
      x.sendResponseHeaders(200, page.length);
      x.getResponseBody().write(page);
      x.close();
    });
    server.start();
    try {
      for (String host : new String[] {"localhost", "127.0.0.2", "[::1]"}) {
        String url = "http://" + host + ":" + port + "/files/tiny.tar.gz";
        given().contentType("application/json")
            .body(Map.of("name", "refused", "url", url, "format", "mnist-idx-archive"))
            .post("/datasets").then().statusCode(400).body("error", is("invalid request"))
            .body("detail", is("host " + host + " is not in daflow.data.download.allowed-hosts"));
      }
      given().contentType("application/json")
          .body(Map.of("name", "refused", "url", "http://0177.0.0.1:" + port + "/x.zip",
              "format", "mnist-idx-archive"))
          .post("/datasets").then().statusCode(400)
          .body("detail", startsWith("host 0177.0.0.1 is a numeric address in a non-canonical"));

      String moved = "http://127.0.0.1:" + port + "/files/moved.tar.gz";
      given().contentType("application/json")
          .body(Map.of("name", "moved", "url", moved, "format", "mnist-idx-archive"))
          .post("/datasets").then().statusCode(400).body("error", is("download refused"))
          .body("detail", is("cannot download " + moved + ": it redirects to a refused address:"
              + " host localhost is not in daflow.data.download.allowed-hosts"));
      assertThat(archiveHits).as("the refused redirect is not followed").hasValue(0);
      assertThat(events("moved")).singleElement()
          .satisfies(ev -> assertThat(((DatasetRejected) ev.event()).origin()).isEqualTo("url"));

      String detail = given().contentType("application/json")
          .body(Map.of("name", "page", "url", "http://127.0.0.1:" + port + "/files/page.zip",
              "format", "usps-archive"))
          .post("/datasets").then().statusCode(422)
          .body("detail", is("page.zip: not a zip, tar or tar.gz archive (" + page.length
              + " bytes)"))
          .extract().path("detail");
      assertThat(detail).doesNotContain("3c 68 74 6d", "internal");
      assertThat(objects("refused")).isEmpty();
      assertThat(objects("moved")).isEmpty();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUploadOverTheLimitIs413() throws Exception {
    byte[] big = new byte[1_500_000]; // over the test profile's 1 MiB
    // With "Expect: 100-continue" the client waits for the server's verdict before sending the
    // body, so the 413 is read rather than lost to a connection closed mid-body.
    HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":"
            + RestAssured.port + "/datasets/upload/too-big?format=image-folder-zip"))
        .expectContinue(true).header("Content-Type", "application/octet-stream")
        .header("Authorization", TestTokens.allRolesHeader())
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build();
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .build().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(objects("too-big")).isEmpty();
  }

  @Test
  void invalidNamesAre400() {
    upload("catalog", "image-folder-zip", new byte[10]).then().statusCode(400)
        .body("detail", containsString("reserved"));
    given().get("/datasets/a..b").then().statusCode(400)
        .body("detail", containsString("must not be '.' or contain '..'"));
  }

  @Test
  void readinessAndOpenApi() {
    given().get("/q/health/ready").then().statusCode(200)
        .body("checks.find { it.name == 'kafka' }.status", is("UP"))
        .body("checks.find { it.name == 'object-store' }.status", is("UP"))
        .body("checks.find { it.name == 'startup' }.status", is("UP"));
    given().get("/datasets/formats").then().statusCode(200)
        .body("format", hasItem("mnist-m-archive"))
        .body("find { it.format == 'mnist-m-archive' }.holds", containsString("mnist_m_train/"));
    String openapi = given().get("/q/openapi").then().statusCode(200).extract().asString();
    assertThat(openapi).contains("/datasets/catalog/{name}", "/datasets/upload/{name}",
        "mnist-m-archive");
  }
}
