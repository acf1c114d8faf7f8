package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ObjectStore} against a real S3 server: S3Proxy in this JVM, objects on disk. */
class ObjectStoreTest {
  @TempDir
  static Path s3dir;

  static EmbeddedS3 s3;
  static ObjectStore store;
  static MinioClient raw;
  static String datasets;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = EmbeddedS3.start(s3dir);
    store = new ObjectStore(s3.config());
    assertThat(store.ensureBuckets())
        .containsExactly("daflow-datasets", "daflow-checkpoints", "daflow-models");
    datasets = store.config().buckets().datasets();
    StorageConfig c = s3.config();
    raw = MinioClient.builder().endpoint(s3.endpoint()).region(c.region())
        .credentials(c.accessKey(), c.secretKey()).build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (store != null) {
      store.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void bytesRoundTripWithTheirSha256InMetadata() throws Exception {
    byte[] data = "{\"dataset\":\"usps\"}".getBytes(StandardCharsets.UTF_8);
    String key = ObjectKeys.datasetManifest("usps");

    StoredObject put = store.put(key, data, "application/json");

    assertThat(put.bucket()).isEqualTo(datasets);
    assertThat(put.key()).isEqualTo("datasets/usps/manifest.json");
    assertThat(put.size()).isEqualTo(data.length);
    assertThat(put.sha256()).isEqualTo(Sha256.of(data)).hasSize(64);
    assertThat(put.etag()).isNotBlank().doesNotContain("\"");
    assertThat(store.stat(key)).isEqualTo(put);
    assertThat(store.getBytes(key)).isEqualTo(data);
    assertThat(store.getBytes(key, put.sha256())).isEqualTo(data);
    // The checksum is the server-side user metadata any S3 client sees, under its documented name.
    var stat = raw.statObject(StatObjectArgs.builder().bucket(datasets).object(key).build());
    assertThat(stat.headers().get("x-amz-meta-sha256")).isEqualTo(put.sha256());
    assertThat(stat.contentType()).isEqualTo("application/json");
  }

  @Test
  void fileRoundTripIsVerifiedAndReplacesTheDestination() throws Exception {
    Path source = tmp.resolve("epoch.ckpt");
    Files.write(source, randomBytes(300_000, 1));
    String bucket = store.config().buckets().checkpoints();
    String key = ObjectKeys.checkpoint("job-7f3a", 3);

    StoredObject put = store.put(key, source, null);
    Path destination = tmp.resolve("out/restored.ckpt");
    Files.createDirectories(destination.getParent());
    Files.writeString(destination, "an older file");
    StoredObject got = store.download(key, destination, put.sha256());

    assertThat(put.sha256()).isEqualTo(Sha256.of(source));
    assertThat(got).isEqualTo(put);
    assertThat(Files.mismatch(source, destination)).isEqualTo(-1L);
    assertThat(listNames(destination.getParent())).containsExactly("restored.ckpt");
    assertThat(raw.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())
        .contentType()).isEqualTo(ObjectStore.OCTET_STREAM);
  }

  @Test
  void streamsOfAKnownLengthAreStoredWithTheirSha256() {
    byte[] data = randomBytes(70_000, 2);
    String key = ObjectKeys.datasetShard("stream", "train", 0);

    StoredObject put = store.put(key, new ByteArrayInputStream(data), data.length, null);

    assertThat(put.sha256()).isEqualTo(Sha256.of(data));
    assertThat(store.getBytes(key)).isEqualTo(data);
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(data),
        data.length + 1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ended after 70000 of 70001 bytes");
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(data),
        data.length - 1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds more than 69999 bytes");
    assertThat(store.getBytes(key)).as("the failed puts wrote nothing").isEqualTo(data);
  }

  @Test
  void anEmptyObjectRoundTrips() {
    String key = ObjectKeys.datasetShard("empty", "test", 0);
    StoredObject put = store.put(key, new byte[0], null);
    assertThat(put.sha256())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(store.getBytes(key)).isEmpty();
    assertThat(store.stat(key).size()).isZero();
  }

  @Test
  void aLargeObjectGoesUpInPartsAndComesBackIntact() throws Exception {
    Path source = tmp.resolve("big.bin");
    Files.write(source, randomBytes(24 * 1024 * 1024 + 12_345, 3));
    String bucket = store.config().buckets().models();
    String key = ObjectKeys.bundle("job-big");

    StoredObject put = store.put(key, source, null);
    Path destination = tmp.resolve("big.copy");
    StoredObject got = store.download(key, destination);

    assertThat(put.size()).isEqualTo(Files.size(source));
    assertThat(put.etag()).as("multipart ETag: digest of 2 parts").endsWith("-2");
    assertThat(got.sha256()).isEqualTo(put.sha256()).isEqualTo(Sha256.of(source));
    assertThat(Files.mismatch(source, destination)).isEqualTo(-1L);
  }

  @Test
  void anObjectOverwrittenWithOtherBytesButTheOldSha256IsRejected() throws Exception {
    String key = ObjectKeys.datasetShard("tampered", "train", 0);
    byte[] original = randomBytes(10_000, 4);
    StoredObject put = store.put(key, original, null);
    byte[] forged = randomBytes(10_000, 5);
    raw.putObject(PutObjectArgs.builder().bucket(datasets).object(key)
        .stream(new ByteArrayInputStream(forged), (long) forged.length, -1L)
        .userMetadata(Map.of("sha256", put.sha256())).build());
    Path dir = Files.createDirectories(tmp.resolve("dl"));
    Path destination = dir.resolve("shard.bin");
    Path existing = dir.resolve("kept.bin");
    Files.write(existing, original);

    assertThatThrownBy(() -> store.download(key, destination))
        .isInstanceOfSatisfying(IntegrityException.class, e -> {
          assertThat(e.bucket()).isEqualTo(datasets);
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.expected()).isEqualTo(put.sha256());
          assertThat(e.actual()).isEqualTo(Sha256.of(forged));
        })
        .hasMessageContaining(key).hasMessageContaining(datasets)
        .hasMessageContaining(put.sha256()).hasMessageContaining(Sha256.of(forged));
    assertThatThrownBy(() -> store.download(key, existing))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> store.getBytes(key))
        .isInstanceOf(IntegrityException.class);

    assertThat(listNames(dir)).as("no partial or temporary file").containsExactly("kept.bin");
    assertThat(Files.readAllBytes(existing)).as("an earlier file is untouched").isEqualTo(original);
  }

  @Test
  void bytesChangedOnTheServersDiskAreDetected() throws Exception {
    String key = ObjectKeys.checkpoint("job-rot", 0);
    String bucket = store.config().buckets().checkpoints();
    store.put(key, randomBytes(5_000, 6), null);
    Path onDisk = s3.basedir().resolve(bucket).resolve(key);
    assertThat(onDisk).exists();
    try (FileChannel ch = FileChannel.open(onDisk, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {42, 42, 42}), 100); // in place: metadata kept
    }

    assertThat(store.stat(key).size()).isEqualTo(5_000);
    assertThatThrownBy(() -> store.getBytes(key))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("do not match");
    Path destination = tmp.resolve("rot.ckpt");
    assertThatThrownBy(() -> store.download(key, destination))
        .isInstanceOf(IntegrityException.class);
    assertThat(listNames(tmp)).isEmpty();
  }

  @Test
  void anObjectWithoutSha256MetadataIsNotHandedOver() throws Exception {
    String key = ObjectKeys.bundle("job-foreign");
    String bucket = store.config().buckets().models();
    byte[] data = randomBytes(1_000, 7);
    raw.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
        .stream(new ByteArrayInputStream(data), (long) data.length, -1L).build());

    assertThatThrownBy(() -> store.download(key, tmp.resolve("foreign.bundle")))
        .isInstanceOfSatisfying(IntegrityException.class,
            e -> assertThat(e.expected()).isNull())
        .hasMessageContaining("no x-amz-meta-sha256 metadata");
    assertThatThrownBy(() -> store.stat(key)).isInstanceOf(IntegrityException.class);
    assertThat(listNames(tmp)).isEmpty();
  }

  @Test
  void aReplacedObjectIsNotTheOneAnEventNamed() {
    String key = ObjectKeys.bundle("job-replaced");
    String bucket = store.config().buckets().models();
    String announced = store.put(key, "first".getBytes(StandardCharsets.UTF_8), null)
        .sha256();
    String current = store.put(key, "second".getBytes(StandardCharsets.UTF_8), null)
        .sha256();

    assertThatThrownBy(() -> store.download(key, tmp.resolve("b.bundle"), announced))
        .isInstanceOfSatisfying(IntegrityException.class, e -> {
          assertThat(e.expected()).isEqualTo(announced);
          assertThat(e.actual()).isEqualTo(current);
        })
        .hasMessageContaining("not the one expected");
    assertThat(listNames(tmp)).isEmpty();
    assertThatThrownBy(() -> store.getBytes(key, "ABC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 lower-case hex digits");
  }

  @Test
  void missingObjectsAreReportedAsSuch() {
    String key = ObjectKeys.datasetManifest("never-written");

    assertThat(store.exists(key)).isFalse();
    Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
    ops.put("stat", () -> store.stat(key));
    ops.put("getBytes", () -> store.getBytes(key));
    ops.put("download", () -> store.download(key, tmp.resolve("m.json")));
    ops.forEach((name, op) -> assertThat(catchThrowable(op)).as(name)
        .isInstanceOfSatisfying(ObjectNotFoundException.class, e -> {
          assertThat(e.bucket()).isEqualTo(datasets);
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.bucketMissing()).isFalse();
        })
        .hasMessage("no object '" + key + "' in bucket '" + datasets + "' at " + s3.endpoint()));
    assertThat(listNames(tmp)).isEmpty();
  }

  @Test
  void missingBucketsAreReportedAsSuch() {
    String bucket = "daflow-nowhere";
    String key = ObjectKeys.datasetManifest("usps");

    try (ObjectStore nowhere =
        new ObjectStore(s3.config().withBuckets(StorageConfig.Buckets.single(bucket)))) {
      Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
      ops.put("stat", () -> nowhere.stat(key));
      ops.put("exists", () -> nowhere.exists(key));
      ops.put("getBytes", () -> nowhere.getBytes(key));
      ops.put("download", () -> nowhere.download(key, tmp.resolve("x")));
      ops.put("put", () -> nowhere.put(key, new byte[] {1}, null));
      ops.put("list", () -> nowhere.list("datasets/"));
      ops.put("listFolders", () -> nowhere.listFolders("datasets/"));
      ops.put("delete", () -> nowhere.delete(key));
      ops.put("deletePrefix", () -> nowhere.deletePrefix("datasets/"));
      ops.forEach((name, op) -> assertThat(catchThrowable(op)).as(name)
          .isInstanceOfSatisfying(ObjectNotFoundException.class,
              e -> assertThat(e.bucketMissing()).isTrue())
          .hasMessageStartingWith("bucket 'daflow-nowhere' does not exist at " + s3.endpoint()));
      assertThat(nowhere.bucketExists(bucket)).isFalse();
    }
  }

  @Test
  void listsDeletesAndDeletesByPrefix() {
    String bucket = store.config().buckets().datasets();
    for (String key : List.of(ObjectKeys.datasetManifest("mnist"),
        ObjectKeys.datasetShard("mnist", "train", 1), ObjectKeys.datasetShard("mnist", "train", 0),
        ObjectKeys.datasetShard("mnist", "test", 0), ObjectKeys.datasetManifest("mnist2"))) {
      store.put(key, key.getBytes(StandardCharsets.UTF_8), null);
    }

    List<ObjectSummary> listed = store.list(ObjectKeys.datasetPrefix("mnist"));
    assertThat(listed).extracting(ObjectSummary::key).containsExactly(
        "datasets/mnist/manifest.json", "datasets/mnist/test/shard-00000.bin",
        "datasets/mnist/train/shard-00000.bin", "datasets/mnist/train/shard-00001.bin");
    assertThat(listed.get(0).size()).isEqualTo("datasets/mnist/manifest.json".length());
    assertThat(listed.get(0).lastModified()).isNotNull();
    assertThat(listed).allSatisfy(o -> assertThat(o.bucket()).isEqualTo(bucket));
    assertThat(store.listFolders("datasets/")).as("one entry per dataset, not per object")
        .contains("datasets/mnist/", "datasets/mnist2/").doesNotHaveDuplicates()
        .allMatch(p -> p.matches("datasets/[^/]+/"));
    assertThat(store.listFolders("datasets/mnist/")).containsExactly(
        "datasets/mnist/test/", "datasets/mnist/train/");

    store.delete(ObjectKeys.datasetManifest("mnist"));
    store.delete(ObjectKeys.datasetManifest("mnist"));  // absent: fine
    assertThat(store.exists(ObjectKeys.datasetManifest("mnist"))).isFalse();
    assertThat(store.deletePrefix(ObjectKeys.datasetPrefix("mnist"))).isEqualTo(3);
    assertThat(store.list(ObjectKeys.datasetPrefix("mnist"))).isEmpty();
    assertThat(store.exists(ObjectKeys.datasetManifest("mnist2"))).as("not a prefix")
        .isTrue();
    assertThat(store.deletePrefix(ObjectKeys.datasetPrefix("mnist"))).isZero();
    assertThatThrownBy(() -> store.deletePrefix("datasets/mnist"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end with '/'");
    assertThatThrownBy(() -> store.deletePrefix(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bucketsAreCreatedOnceAndHealthReportsThem() {
    StorageConfig single = s3.config().withBuckets(StorageConfig.Buckets.single("daflow-all"));
    try (ObjectStore one = new ObjectStore(single)) {
      StorageHealth before = one.health();
      assertThat(before.reachable()).isTrue();
      assertThat(before.ready()).isFalse();
      assertThat(before.missingBuckets()).containsExactly("daflow-all");
      assertThat(before.problem()).isEqualTo("missing buckets: daflow-all");

      assertThat(one.ensureBuckets()).containsExactly("daflow-all");
      assertThat(one.ensureBuckets()).isEmpty();

      assertThat(one.health().ready()).isTrue();
      assertThat(one.isReachable()).isTrue();
      String key = ObjectKeys.bundle("job-1");
      assertThat(one.put(key, new byte[] {1, 2, 3}, null).bucket()).isEqualTo("daflow-all");
      assertThat(one.getBytes(key)).containsExactly(1, 2, 3);
      assertThat(one.list("bundles/")).extracting(ObjectSummary::bucket)
          .containsExactly("daflow-all");
    }
  }

  @Test
  void badArgumentsFailBeforeAnyRequest() {
    assertThatThrownBy(() -> store.put("datasets/../etc/passwd", new byte[1], null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..'");
    assertThatThrownBy(() -> store.list("/datasets"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.getBytes("models/x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DAFlow key");
    assertThatThrownBy(() -> store.list(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no kind");
    assertThatThrownBy(() -> store.list("check"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no kind");
    assertThatThrownBy(() -> store.listFolders("checkpoints/job-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end with '/'");
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static List<String> listNames(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
