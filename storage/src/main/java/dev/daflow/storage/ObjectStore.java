package dev.daflow.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Headers;

/**
 * Object-store access for the services: MinIO in docker-compose and Kubernetes, S3Proxy locally
 * and in tests, through the same MinIO client code. Every object is written with the SHA-256 of
 * its bytes in the user metadata {@value #SHA256_METADATA}, and every read recomputes it: a
 * mismatch, or an object without it, is an {@link IntegrityException} and hands nothing over.
 *
 * <p>Failures are unchecked: {@link ObjectNotFoundException} for a missing bucket or object, {@link
 * StorageUnavailableException} (naming the endpoint) when the server cannot be reached or does not
 * answer within the configured timeouts, {@link StorageException} for anything else the server
 * refuses; problems with local files are {@link UncheckedIOException}s. Keys are checked with
 * {@link ObjectKeys#checkKey}; build them with {@link ObjectKeys}. Objects are addressed by key
 * alone: the bucket is the configured one of the key's {@link ObjectKind} ({@link
 * ObjectKeys#kindOf}), or of a listing prefix's ({@link ObjectKeys#kindOfPrefix}).
 *
 * <p>Thread-safe; one instance per service. {@link #close()} it (it owns the HTTP client's
 * threads, which otherwise keep the JVM alive for a minute).
 */
public final class ObjectStore implements AutoCloseable {
  /** The user-metadata header that holds an object's lower-case hex SHA-256. */
  public static final String SHA256_METADATA = "x-amz-meta-sha256";

  /**
   * Part size of uploads: objects larger than this go up as a multipart upload of parts this size
   * (the client buffers one part in memory).
   */
  public static final long PART_SIZE = 16L * 1024 * 1024;

  /** The largest object {@link #getBytes} reads into memory; larger ones need {@link #download}. */
  public static final int MAX_IN_MEMORY = 256 * 1024 * 1024;

  /** Content type used when none is given. */
  public static final String OCTET_STREAM = "application/octet-stream";

  private static final int BUFFER = 64 * 1024;

  private final StorageConfig config;
  private final String endpoint;
  private final MinioClient client;
  private final Failures failures;

  /** A store for {@code config}; connects lazily, so an unreachable server fails the first call. */
  public ObjectStore(StorageConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.endpoint = config.endpoint().getScheme() + "://" + config.endpoint().getRawAuthority();
    this.failures = new Failures(endpoint, config.connectTimeout(), config.readTimeout());
    MinioClient.Builder builder = MinioClient.builder()
        .endpoint(endpoint)
        .region(config.region())
        .credentials(config.accessKey(), config.secretKey());
    if (config.trustStore() != null) {
      // Closed with the MinIO client.
      builder.httpClient(TrustStores.httpClient(config.trustStore()), true);
    }
    MinioClient minio = builder.build();
    long readMillis = config.readTimeout().toMillis();
    minio.setTimeout(config.connectTimeout().toMillis(), readMillis, readMillis);
    this.client = minio;
  }

  /** The configuration this store was made with. */
  public StorageConfig config() {
    return config;
  }

  /** The bucket a DAFlow key belongs in, by its kind ({@link ObjectKeys#kindOf}). */
  private String bucketOf(String key) {
    return config.buckets().forKind(ObjectKeys.kindOf(key));
  }

  /** The bucket of a listing prefix, by its kind ({@link ObjectKeys#kindOfPrefix}). */
  private String bucketOfPrefix(String prefix) {
    return config.buckets().forKind(ObjectKeys.kindOfPrefix(prefix));
  }

  // ---- buckets and health

  /**
   * Creates the configured buckets that do not exist yet (idempotent; safe when several services
   * start at once).
   *
   * @return the buckets it created
   */
  public List<String> ensureBuckets() {
    List<String> created = new ArrayList<>();
    for (String bucket : config.buckets().all()) {
      if (!bucketExists(bucket)) {
        call("create", bucket, null, () -> {
          try {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            created.add(bucket);
          } catch (ErrorResponseException e) {
            // Another instance created it meanwhile. (BucketAlreadyExists, someone else's bucket
            // of that name on a shared S3, stays an error.)
            if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
              throw e;
            }
          }
          return null;
        });
      }
    }
    return List.copyOf(created);
  }

  /** Whether {@code bucket} exists. */
  public boolean bucketExists(String bucket) {
    checkBucket(bucket);
    return call("check", bucket, null,
        () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
  }

  /**
   * For readiness checks: whether the server answers and every configured bucket exists. Never
   * throws for store problems; takes at most about the connect timeout when the server is down.
   */
  public StorageHealth health() {
    List<String> missing = new ArrayList<>();
    try {
      for (String bucket : config.buckets().all()) {
        if (!bucketExists(bucket)) {
          missing.add(bucket);
        }
      }
    } catch (StorageUnavailableException e) {
      return new StorageHealth(endpoint, false, List.of(), e.getMessage());
    } catch (StorageException e) {
      return new StorageHealth(endpoint, true, missing, e.getMessage());
    }
    return new StorageHealth(endpoint, true, missing,
        missing.isEmpty() ? null : "missing buckets: " + String.join(", ", missing));
  }

  /** Whether the server answers at all (see {@link #health()}). */
  public boolean isReachable() {
    return health().reachable();
  }

  // ---- writing

  /**
   * Writes {@code data} as {@code key}, with its SHA-256, replacing any object there.
   *
   * @param contentType e.g. {@code application/json}; {@code null}: {@value #OCTET_STREAM}
   */
  public StoredObject put(String key, byte[] data, String contentType) {
    return put(key, data, contentType, null);
  }

  /**
   * As {@link #put(String, byte[], String)}, only if {@code condition} holds when the server
   * writes ({@code null}: always). For {@link JsonDocuments}; see docs/storage.md for which
   * servers evaluate the condition atomically.
   *
   * @throws WriteConflictException if it does not hold (HTTP 412 or 409), or the object an {@code
   *     If-Match} names is gone
   */
  StoredObject put(String key, byte[] data, String contentType, Precondition condition) {
    String sha256 = Sha256.of(data);
    return upload(bucketOf(key), key, new ByteArrayInputStream(data), data.length, sha256,
        contentType, condition);
  }

  /**
   * Writes a file's content as {@code key} in {@code bucket}, with its SHA-256, replacing any
   * object there. The file is read twice: once for the SHA-256 (S3 takes metadata before the
   * bytes), once for the upload, which hashes again; if the two differ, the file changed under
   * the upload, the object is removed and a {@link StorageException} says so. Files larger than
   * {@link #PART_SIZE} go up as a multipart upload.
   *
   * @param contentType e.g. {@code application/octet-stream}; {@code null}: {@value
   *     #OCTET_STREAM}
   */
  public StoredObject put(String key, Path file, String contentType) {
    String bucket = bucketOf(key);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String sha256 = Sha256.of(file);
    StoredObject stored;
    String uploaded;
    try (DigestInputStream in =
        new DigestInputStream(Files.newInputStream(file), Sha256.newDigest())) {
      stored = upload(bucket, key, in, size, sha256, contentType, null);
      uploaded = Sha256.hex(in.getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (!uploaded.equals(sha256)) {
      delete(key);
      throw new StorageException(file + " changed while it was uploaded as '" + key
          + "' in bucket '" + bucket + "' (sha256 " + sha256 + " before, " + uploaded
          + " during); the object was removed");
    }
    return stored;
  }

  /**
   * Writes exactly {@code length} bytes of {@code in} (not closed) as {@code key}, with their
   * SHA-256. The bytes are first copied to a temporary file in {@code java.io.tmpdir} while
   * hashing (S3 takes metadata before the bytes), then uploaded as {@link #put(String, Path,
   * String)} does; the temporary file is always deleted.
   *
   * @throws IllegalArgumentException if the stream holds fewer or more than {@code length} bytes
   */
  public StoredObject put(String key, InputStream in, long length, String contentType) {
    ObjectKeys.kindOf(key); // a bad key fails before any byte is spooled
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    Path spool = null;
    try {
      spool = Files.createTempFile("daflow-upload-", ".tmp");
      long copied;
      try (OutputStream out = Files.newOutputStream(spool)) {
        copied = copy(in, out, length);
      }
      if (copied < length) {
        throw new IllegalArgumentException("the stream for '" + key + "' ended after " + copied
            + " of " + length + " bytes");
      }
      if (in.read() >= 0) {
        throw new IllegalArgumentException(
            "the stream for '" + key + "' holds more than " + length + " bytes");
      }
      return put(key, spool, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool the upload of '" + key + "'", e);
    } finally {
      deleteQuietly(spool);
    }
  }

  private StoredObject upload(String bucket, String key, InputStream in, long size,
      String sha256, String contentType, Precondition condition) {
    String type = contentType == null ? OCTET_STREAM : contentType;
    if (condition != null && size > PART_SIZE) {
      // A multipart upload would carry the condition only on its completion.
      throw new IllegalArgumentException("a conditional put takes at most " + PART_SIZE
          + " bytes, '" + key + "' has " + size);
    }
    ObjectWriteResponse response;
    try {
      response = call("put", bucket, key, () -> client.putObject(
        PutObjectArgs.builder()
            .bucket(bucket)
            .object(key)
            .stream(in, size, PART_SIZE)
            .contentType(type)
            .userMetadata(Map.of("sha256", sha256))
            .extraHeaders(condition == null ? Map.of() : condition.headers())
            .build()));
    } catch (ObjectNotFoundException e) {
      if (condition == null || e.bucketMissing()) {
        throw e;
      }
      // S3 answers an If-Match on a missing object with 404: deleted since it was read.
      throw new WriteConflictException(key, "put '" + key + "' in bucket '" + bucket + "' with "
          + condition + ": the object is gone", e);
    }
    return new StoredObject(bucket, key, size, sha256, unquote(response.etag()));
  }

  /**
   * The condition of a conditional put, as S3 headers: {@code If-None-Match: *} (create only) or
   * {@code If-Match: "<etag>"} (replace only that version).
   */
  record Precondition(String header, String value) {
    /** Only if no object has the key. */
    static Precondition absent() {
      return new Precondition("If-None-Match", "*");
    }

    /** Only if the object is the version with entity tag {@code etag} (unquoted). */
    static Precondition matching(String etag) {
      return new Precondition("If-Match", "\"" + etag + "\"");
    }

    Map<String, String> headers() {
      return Map.of(header, value);
    }

    @Override
    public String toString() {
      return header + ": " + value;
    }
  }

  // ---- reading

  /**
   * The object's size, SHA-256 and ETag, without its bytes.
   *
   * @throws ObjectNotFoundException if the bucket or the object does not exist
   * @throws IntegrityException if it has no valid {@value #SHA256_METADATA}
   */
  public StoredObject stat(String key) {
    String bucket = bucketOf(key);
    StatObjectResponse response;
    try {
      response = call("stat", bucket, key,
          () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
    } catch (ObjectNotFoundException e) {
      throw refineNotFound(e);
    }
    String sha256 = recordedSha256(bucket, key, response.headers());
    return new StoredObject(bucket, key, response.size(), sha256, unquote(response.etag()));
  }

  /**
   * Whether the object exists.
   *
   * @throws ObjectNotFoundException if the bucket does not exist (a configuration error, not an
   *     absent object)
   */
  public boolean exists(String key) {
    String bucket = bucketOf(key);
    try {
      call("stat", bucket, key,
          () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
      return true;
    } catch (ObjectNotFoundException e) {
      ObjectNotFoundException refined = refineNotFound(e);
      if (refined.bucketMissing()) {
        throw refined;
      }
      return false;
    }
  }

  /**
   * Reads a small object (a manifest, say) into memory and verifies it against its SHA-256.
   *
   * @throws IntegrityException if the bytes do not match, or the object has no SHA-256
   * @throws StorageException if it is larger than {@link #MAX_IN_MEMORY}
   */
  public byte[] getBytes(String key) {
    return getBytes(key, null);
  }

  /**
   * As {@link #getBytes(String)}, and the object must be the one with SHA-256 {@code
   * expectedSha256} (from an event or a manifest; {@code null}: any).
   */
  public byte[] getBytes(String key, String expectedSha256) {
    return read(key, expectedSha256).bytes();
  }

  /** A small object's bytes, verified, with its metadata (the ETag for a conditional write). */
  record Content(StoredObject object, byte[] bytes) {}

  /** As {@link #getBytes(String, String)}, with the object's metadata. */
  Content read(String key, String expectedSha256) {
    String bucket = bucketOf(key);
    checkExpected(expectedSha256);
    try (Body body = open(bucket, key)) {
      GetObjectResponse in = body.in();
      String recorded = recordedSha256(bucket, key, in.headers());
      checkSameObject(bucket, key, expectedSha256, recorded);
      String length = in.headers().get("Content-Length");
      if (length != null && Long.parseLong(length) > MAX_IN_MEMORY) {
        throw new StorageException("'" + key + "' in bucket '" + bucket + "' has " + length
            + " bytes, more than getBytes reads into memory (" + MAX_IN_MEMORY
            + "): use download");
      }
      MessageDigest digest = Sha256.newDigest();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long size = transfer(bucket, key, in, out, digest, MAX_IN_MEMORY);
      verify(bucket, key, recorded, Sha256.hex(digest.digest()));
      return new Content(new StoredObject(bucket, key, size, recorded,
          unquote(in.headers().get("ETag"))), out.toByteArray());
    }
  }

  /**
   * Downloads an object to {@code destination}, verifying it against its SHA-256. The bytes go to
   * a temporary file in the destination's folder, which replaces {@code destination} atomically
   * only once verified: a failed download (integrity, network, disk) leaves no partial file and
   * any earlier file at {@code destination} untouched. Creates missing parent folders.
   *
   * @return what was downloaded
   * @throws IntegrityException if the bytes do not match, or the object has no SHA-256
   */
  public StoredObject download(String key, Path destination) {
    return download(key, destination, null);
  }

  /**
   * As {@link #download(String, Path)}, and the object must be the one with SHA-256 {@code
   * expectedSha256} (from an event or a manifest; {@code null}: any). Checked before any byte is
   * written.
   */
  public StoredObject download(String key, Path destination, String expectedSha256) {
    String bucket = bucketOf(key);
    checkExpected(expectedSha256);
    Path target = destination.toAbsolutePath();
    Path dir = target.getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    try (Body body = open(bucket, key)) {
      GetObjectResponse in = body.in();
      String recorded = recordedSha256(bucket, key, in.headers());
      checkSameObject(bucket, key, expectedSha256, recorded);
      Path tmp = createTemp(dir, target);
      boolean moved = false;
      try {
        MessageDigest digest = Sha256.newDigest();
        long size;
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          size = transfer(bucket, key, in, Channels.newOutputStream(channel), digest,
              Long.MAX_VALUE);
          channel.force(true);
        }
        verify(bucket, key, recorded, Sha256.hex(digest.digest()));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        moved = true;
        return new StoredObject(bucket, key, size, recorded, unquote(in.headers().get("ETag")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target, e);
      } finally {
        if (!moved) {
          deleteQuietly(tmp);
        }
      }
    }
  }

  /**
   * The objects whose keys start with {@code prefix}, in key order, at any depth. The prefix
   * names its kind, hence its bucket ({@link ObjectKeys#kindOfPrefix}): {@code datasets/usps/},
   * {@code checkpoints/}.
   *
   * @throws ObjectNotFoundException if the bucket does not exist
   * @throws IllegalArgumentException if the prefix names no kind
   */
  public List<ObjectSummary> list(String prefix) {
    String bucket = bucketOfPrefix(prefix);
    return call("list", bucket, prefix + "*", () -> {
      List<ObjectSummary> out = new ArrayList<>();
      Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
          .bucket(bucket).prefix(prefix).recursive(true).build());
      for (Result<Item> result : results) {
        Item item = result.get();
        if (!item.isDir()) {
          out.add(new ObjectSummary(bucket, item.objectName(), item.size(),
              item.lastModified() == null ? null : item.lastModified().toInstant()));
        }
      }
      return List.copyOf(out);
    });
  }

  /**
   * The next level of names under {@code prefix}, which ends with {@code /}: what S3 calls the
   * common prefixes of a listing with delimiter {@code /}, each with its trailing slash, in key
   * order. {@code listFolders("checkpoints/")} gives {@code checkpoints/<jobId>/} once per job,
   * however many objects each holds, without listing them.
   *
   * @throws ObjectNotFoundException if the bucket does not exist
   * @throws IllegalArgumentException if the prefix names no kind or does not end with {@code /}
   */
  public List<String> listFolders(String prefix) {
    String bucket = bucketOfPrefix(prefix);
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "prefix to list folders under must end with '/', got '" + prefix + "'");
    }
    return call("list", bucket, prefix + "*/", () -> {
      List<String> out = new ArrayList<>();
      Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
          .bucket(bucket).prefix(prefix).delimiter("/").recursive(false).build());
      for (Result<Item> result : results) {
        Item item = result.get();
        if (item.isDir()) {
          out.add(item.objectName());
        }
      }
      return List.copyOf(out);
    });
  }

  // ---- deleting

  /**
   * Deletes an object; deleting an absent object succeeds (S3 semantics).
   *
   * @throws ObjectNotFoundException if the bucket does not exist (checked first: MinIO says so
   *     but S3Proxy does not, and both must behave alike)
   */
  public void delete(String key) {
    String bucket = bucketOf(key);
    if (!bucketExists(bucket)) {
      throw new ObjectNotFoundException(bucket, null, endpoint, null);
    }
    call("delete", bucket, key, () -> {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
      return null;
    });
  }

  /**
   * Deletes every object whose key starts with {@code prefix}, e.g. {@link
   * ObjectKeys#datasetPrefix}. The prefix must end with {@code /}, so that {@code
   * datasets/usps/} never takes {@code datasets/usps2/} with it.
   *
   * @return how many objects were deleted
   * @throws StorageException naming the keys the server refused to delete
   */
  public int deletePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "prefix to delete must be non-empty and end with '/', got '" + prefix + "'");
    }
    String bucket = bucketOfPrefix(prefix);
    List<ObjectSummary> objects = list(prefix);
    if (objects.isEmpty()) {
      return 0;
    }
    List<DeleteRequest.Object> requests = new ArrayList<>();
    for (ObjectSummary o : objects) {
      requests.add(new DeleteRequest.Object(o.key()));
    }
    List<String> refused = call("delete", bucket, prefix + "*", () -> {
      List<String> errors = new ArrayList<>();
      for (Result<DeleteResult.Error> result : client.removeObjects(
          RemoveObjectsArgs.builder().bucket(bucket).objects(requests).build())) {
        DeleteResult.Error error = result.get();
        errors.add(error.objectName() + " (" + error.code() + ": " + error.message() + ")");
      }
      return errors;
    });
    if (!refused.isEmpty()) {
      throw new StorageException("deleting '" + prefix + "*' in bucket '" + bucket + "' at "
          + endpoint + ": " + refused.size() + " of " + objects.size() + " objects not deleted: "
          + String.join(", ", refused.subList(0, Math.min(5, refused.size())))
          + (refused.size() > 5 ? ", ..." : ""));
    }
    return objects.size();
  }

  /** Releases the HTTP client's threads and connections. */
  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      throw new StorageException("cannot close the client of " + endpoint, e);
    }
  }

  // ---- helpers

  /** A call to the MinIO client that may throw its checked exception. */
  @FunctionalInterface
  private interface MinioCall<T> {
    T call() throws MinioException;
  }

  private <T> T call(String op, String bucket, String key, MinioCall<T> body) {
    try {
      return body.call();
    } catch (MinioException | RuntimeException e) {
      throw failures.translate(op, bucket, key, e);
    }
  }

  private Body open(String bucket, String key) {
    return new Body(call("get", bucket, key,
        () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())));
  }

  /** A GET's response, closed without a checked exception (nothing to do if closing fails). */
  private record Body(GetObjectResponse in) implements AutoCloseable {
    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // the connection is discarded either way
      }
    }
  }

  /** HEAD cannot tell a missing bucket from a missing object: ask. */
  private ObjectNotFoundException refineNotFound(ObjectNotFoundException e) {
    if (e.bucketMissing()) {
      return e;
    }
    boolean bucketThere;
    try {
      bucketThere = bucketExists(e.bucket());
    } catch (StorageException ignored) {
      return e;
    }
    return bucketThere ? e : new ObjectNotFoundException(e.bucket(), null, endpoint, e);
  }

  private static String recordedSha256(String bucket, String key, Headers headers) {
    String sha256 = headers.get(SHA256_METADATA);
    if (sha256 == null) {
      throw new IntegrityException(bucket, key,
          "the object has no " + SHA256_METADATA + " metadata (not written by ObjectStore)",
          null, null);
    }
    if (!Sha256.isHex(sha256)) {
      throw new IntegrityException(bucket, key,
          "malformed " + SHA256_METADATA + " metadata '" + sha256 + "'", null, null);
    }
    return sha256;
  }

  private static void checkExpected(String expectedSha256) {
    if (expectedSha256 != null && !Sha256.isHex(expectedSha256)) {
      throw new IllegalArgumentException(
          "expected sha256 must be 64 lower-case hex digits, got '" + expectedSha256 + "'");
    }
  }

  private static void checkSameObject(String bucket, String key, String expected,
      String recorded) {
    if (expected != null && !expected.equals(recorded)) {
      throw new IntegrityException(bucket, key,
          "the stored object is not the one expected (replaced since?)", expected, recorded);
    }
  }

  private static void verify(String bucket, String key, String recorded, String actual) {
    if (!recorded.equals(actual)) {
      throw new IntegrityException(bucket, key,
          "the bytes read do not match the object's sha256 metadata", recorded, actual);
    }
  }

  /**
   * Copies an object's body to {@code out}, hashing it. Read failures are the store's ({@link
   * StorageUnavailableException}), write failures the local disk's ({@link UncheckedIOException}).
   */
  private long transfer(String bucket, String key, InputStream in, OutputStream out,
      MessageDigest digest, long limit) {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        throw failures.unavailable(Failures.describe("get", bucket, key) + " after " + total
            + " bytes", e);
      }
      if (n < 0) {
        return total;
      }
      total += n;
      if (total > limit) {
        throw new StorageException("'" + key + "' in bucket '" + bucket + "' is larger than "
            + limit + " bytes: use download");
      }
      digest.update(buffer, 0, n);
      try {
        out.write(buffer, 0, n);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the download of '" + key + "'", e);
      }
    }
  }

  private static long copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    while (total < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - total));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private static Path createTemp(Path dir, Path target) {
    try {
      return Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file in " + dir, e);
    }
  }

  private void checkBucket(String bucket) {
    StorageConfig.Buckets.checkBucket("the", bucket);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // best effort: a temporary file
      }
    }
  }

  private static String unquote(String etag) {
    if (etag == null) {
      return null;
    }
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1) : etag;
  }
}
