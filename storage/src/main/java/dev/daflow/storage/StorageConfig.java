package dev.daflow.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the object store is and how to reach it. The same values point at MinIO (docker-compose,
 * Kubernetes) or at S3Proxy (local run, tests); credentials come from configuration or the
 * environment ({@link #fromEnvironment}), never from code. {@link #toString()} never shows the
 * secret key.
 *
 * @param endpoint {@code http} or {@code https} URL of the server, without path, query or
 *     credentials, e.g. {@code http://minio:9000}
 * @param region the region requests are signed for; MinIO and S3Proxy accept {@value
 *     #DEFAULT_REGION}
 * @param accessKey the access key (user)
 * @param secretKey the secret key (password)
 * @param buckets the bucket of each kind of object
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for each read or write on a connection
 * @param trustStore the certificates an {@code https} endpoint's certificate must chain to, for
 *     a server whose CA is not publicly trusted; null: the JVM's trusted CAs
 */
public record StorageConfig(URI endpoint, String region, String accessKey, String secretKey,
    Buckets buckets, Duration connectTimeout, Duration readTimeout, TrustStore trustStore) {

  /** The region used when none is configured. */
  public static final String DEFAULT_REGION = "us-east-1";
  /** Connect timeout when none is configured. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Read/write timeout when none is configured. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** Environment variable of the endpoint (required); Quarkus: {@code daflow.storage.endpoint}. */
  public static final String ENV_ENDPOINT = "DAFLOW_STORAGE_ENDPOINT";
  /** Environment variable of the region (optional). */
  public static final String ENV_REGION = "DAFLOW_STORAGE_REGION";
  /** Environment variable of the access key (required). */
  public static final String ENV_ACCESS_KEY = "DAFLOW_STORAGE_ACCESS_KEY";
  /** Environment variable of the secret key (required). */
  public static final String ENV_SECRET_KEY = "DAFLOW_STORAGE_SECRET_KEY";
  /** Environment variable of the datasets bucket (optional). */
  public static final String ENV_BUCKET_DATASETS = "DAFLOW_STORAGE_BUCKET_DATASETS";
  /** Environment variable of the checkpoints bucket (optional). */
  public static final String ENV_BUCKET_CHECKPOINTS = "DAFLOW_STORAGE_BUCKET_CHECKPOINTS";
  /** Environment variable of the models bucket (optional). */
  public static final String ENV_BUCKET_MODELS = "DAFLOW_STORAGE_BUCKET_MODELS";
  /** Environment variable of the connect timeout (optional), e.g. {@code 5s} or {@code PT5S}. */
  public static final String ENV_CONNECT_TIMEOUT = "DAFLOW_STORAGE_CONNECT_TIMEOUT";
  /** Environment variable of the read timeout (optional), e.g. {@code 60s}. */
  public static final String ENV_READ_TIMEOUT = "DAFLOW_STORAGE_READ_TIMEOUT";
  /** Environment variable of the trust store file (optional, {@code https} endpoints only). */
  public static final String ENV_TRUSTSTORE_LOCATION = "DAFLOW_STORAGE_TRUSTSTORE_LOCATION";
  /** Environment variable of the trust store's password (optional; none for PEM). */
  public static final String ENV_TRUSTSTORE_PASSWORD = "DAFLOW_STORAGE_TRUSTSTORE_PASSWORD";
  /** Environment variable of the trust store's type: {@code PEM}, {@code PKCS12} or {@code JKS}. */
  public static final String ENV_TRUSTSTORE_TYPE = "DAFLOW_STORAGE_TRUSTSTORE_TYPE";

  /**
   * Certificates to trust for the endpoint, from a file of the deployment (a Secret's volume).
   *
   * @param location the file
   * @param password its password, or null (PEM, or a store without one)
   * @param type {@code PEM} (certificates, as {@code ca.pem}), {@code PKCS12} or {@code JKS};
   *     blank: {@code PEM} for {@code .pem}/{@code .crt} files, else {@code PKCS12}
   */
  public record TrustStore(Path location, String password, String type) {
    /** Checks that the file can be read and the type is known. */
    public TrustStore {
      Objects.requireNonNull(location, "location");
      if (!Files.isReadable(location)) {
        throw new IllegalArgumentException("the object store's trust store " + location
            + " is not a readable file (" + ENV_TRUSTSTORE_LOCATION + ")");
      }
      String name = location.getFileName().toString().toLowerCase(Locale.ROOT);
      type = !blank(type) ? type.trim().toUpperCase(Locale.ROOT)
          : name.endsWith(".pem") || name.endsWith(".crt") ? "PEM" : "PKCS12";
      if (!List.of("PEM", "PKCS12", "JKS").contains(type)) {
        throw new IllegalArgumentException(ENV_TRUSTSTORE_TYPE + " must be PEM, PKCS12 or JKS, "
            + "got '" + type + "'");
      }
      password = blank(password) ? null : password;
    }

    @Override
    public String toString() {
      return "TrustStore[" + location + ", " + type + (password == null ? "" : ", password ****")
          + "]";
    }
  }

  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  /** Checks every component; throws {@link IllegalArgumentException} naming the bad one. */
  public StorageConfig {
    checkEndpoint(endpoint);
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "region must be 1-64 lower-case letters, digits or '-', got " + quote(region));
    }
    requireText("accessKey", accessKey);
    requireText("secretKey", secretKey);
    Objects.requireNonNull(buckets, "buckets");
    checkTimeout("connectTimeout", connectTimeout);
    checkTimeout("readTimeout", readTimeout);
    if (trustStore != null && !"https".equalsIgnoreCase(endpoint.getScheme())) {
      throw new IllegalArgumentException("a trust store (" + ENV_TRUSTSTORE_LOCATION + ") is "
          + "set but the endpoint " + endpoint + " is not https");
    }
  }

  /** A configuration that trusts the JVM's CAs. */
  public StorageConfig(URI endpoint, String region, String accessKey, String secretKey,
      Buckets buckets, Duration connectTimeout, Duration readTimeout) {
    this(endpoint, region, accessKey, secretKey, buckets, connectTimeout, readTimeout, null);
  }

  /**
   * A configuration with the default region, buckets and timeouts.
   *
   * @param endpoint e.g. {@code http://localhost:9000}
   */
  public static StorageConfig of(String endpoint, String accessKey, String secretKey) {
    return new StorageConfig(parseEndpoint(endpoint), DEFAULT_REGION, accessKey, secretKey,
        Buckets.DEFAULT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /**
   * Reads the configuration from environment variables ({@code System.getenv()} in production, a
   * map in tests): {@value #ENV_ENDPOINT}, {@value #ENV_ACCESS_KEY} and {@value #ENV_SECRET_KEY}
   * are required; {@value #ENV_REGION}, {@value #ENV_BUCKET_DATASETS}, {@value
   * #ENV_BUCKET_CHECKPOINTS}, {@value #ENV_BUCKET_MODELS}, {@value #ENV_CONNECT_TIMEOUT} and
   * {@value #ENV_READ_TIMEOUT} fall back to the defaults; {@value #ENV_TRUSTSTORE_LOCATION}
   * (with {@value #ENV_TRUSTSTORE_PASSWORD}, {@value #ENV_TRUSTSTORE_TYPE}) names the
   * certificates to trust when the server's CA is private. They are the names Quarkus gives the
   * properties {@code daflow.storage.endpoint}, {@code daflow.storage.access-key}, {@code
   * daflow.storage.bucket.datasets}, ..., so a service and the CLI read the same variables.
   *
   * @throws IllegalArgumentException listing the missing variables, or naming an invalid one
   */
  public static StorageConfig fromEnvironment(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    for (String name : List.of(ENV_ENDPOINT, ENV_ACCESS_KEY, ENV_SECRET_KEY)) {
      if (blank(env.get(name))) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "object store not configured: set " + String.join(", ", missing));
    }
    Buckets buckets = new Buckets(
        or(env.get(ENV_BUCKET_DATASETS), Buckets.DEFAULT.datasets()),
        or(env.get(ENV_BUCKET_CHECKPOINTS), Buckets.DEFAULT.checkpoints()),
        or(env.get(ENV_BUCKET_MODELS), Buckets.DEFAULT.models()));
    return new StorageConfig(parseEndpoint(env.get(ENV_ENDPOINT).trim()),
        or(env.get(ENV_REGION), DEFAULT_REGION), env.get(ENV_ACCESS_KEY),
        env.get(ENV_SECRET_KEY), buckets,
        parseDuration(ENV_CONNECT_TIMEOUT, env.get(ENV_CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT),
        parseDuration(ENV_READ_TIMEOUT, env.get(ENV_READ_TIMEOUT), DEFAULT_READ_TIMEOUT),
        blank(env.get(ENV_TRUSTSTORE_LOCATION)) ? null
            : new TrustStore(Path.of(env.get(ENV_TRUSTSTORE_LOCATION).trim()),
                env.get(ENV_TRUSTSTORE_PASSWORD), env.get(ENV_TRUSTSTORE_TYPE)));
  }

  /** This configuration with other buckets. */
  public StorageConfig withBuckets(Buckets buckets) {
    return new StorageConfig(endpoint, region, accessKey, secretKey, buckets, connectTimeout,
        readTimeout, trustStore);
  }

  /** This configuration with other timeouts. */
  public StorageConfig withTimeouts(Duration connectTimeout, Duration readTimeout) {
    return new StorageConfig(endpoint, region, accessKey, secretKey, buckets, connectTimeout,
        readTimeout, trustStore);
  }

  /** This configuration trusting {@code trustStore}'s certificates (null: the JVM's CAs). */
  public StorageConfig withTrustStore(TrustStore trustStore) {
    return new StorageConfig(endpoint, region, accessKey, secretKey, buckets, connectTimeout,
        readTimeout, trustStore);
  }

  /** Everything but the secret key, which shows as {@code ****}. */
  @Override
  public String toString() {
    return "StorageConfig[endpoint=" + endpoint + ", region=" + region + ", accessKey="
        + accessKey + ", secretKey=****, buckets=" + buckets + ", connectTimeout="
        + connectTimeout + ", readTimeout=" + readTimeout
        + (trustStore == null ? "" : ", trustStore=" + trustStore) + "]";
  }

  /**
   * The bucket of each {@link ObjectKind}. They may be three buckets (the default) or one bucket
   * named three times: keys start with their kind's prefix, so they never collide.
   *
   * @param datasets bucket of dataset manifests and shards
   * @param checkpoints bucket of training checkpoints
   * @param models bucket of model bundles
   */
  public record Buckets(String datasets, String checkpoints, String models) {
    // Before DEFAULT: static fields initialise in order, and DEFAULT's constructor uses them.
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    /** {@code daflow-datasets}, {@code daflow-checkpoints}, {@code daflow-models}. */
    public static final Buckets DEFAULT =
        new Buckets("daflow-datasets", "daflow-checkpoints", "daflow-models");

    /** Checks the names against S3's bucket naming rules. */
    public Buckets {
      checkBucket("datasets", datasets);
      checkBucket("checkpoints", checkpoints);
      checkBucket("models", models);
    }

    /** One bucket for every kind (keys keep them apart). */
    public static Buckets single(String bucket) {
      return new Buckets(bucket, bucket, bucket);
    }

    /** The bucket of a kind. */
    public String forKind(ObjectKind kind) {
      return switch (kind) {
        case DATASET -> datasets;
        case CHECKPOINT -> checkpoints;
        case BUNDLE -> models;
      };
    }

    /** The distinct bucket names, in the order datasets, checkpoints, models. */
    public List<String> all() {
      return List.copyOf(new LinkedHashSet<>(List.of(datasets, checkpoints, models)));
    }

    /**
     * Checks a bucket name against S3's rules: 3-63 lower-case letters, digits, {@code .} and
     * {@code -}, starting and ending with a letter or digit, no {@code ..}, not an IP address.
     *
     * @param what the name's role, for the message
     * @return {@code bucket}
     */
    public static String checkBucket(String what, String bucket) {
      if (bucket == null || !NAME.matcher(bucket).matches() || bucket.contains("..")
          || IP.matcher(bucket).matches()) {
        throw new IllegalArgumentException(what + " bucket must be 3-63 lower-case letters, "
            + "digits, '.' or '-', starting and ending with a letter or digit, without '..', "
            + "not an IP address; got " + quote(bucket));
      }
      return bucket;
    }
  }

  static URI parseEndpoint(String endpoint) {
    if (blank(endpoint)) {
      throw new IllegalArgumentException("endpoint must not be empty");
    }
    try {
      return new URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("endpoint is not a URL: " + e.getMessage(), e);
    }
  }

  private static void checkEndpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = Objects.toString(endpoint.getScheme(), "").toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "endpoint must be an http or https URL, got '" + endpoint + "'");
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpoint must name a host, got '" + endpoint + "'");
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "endpoint must not hold credentials: configure the access and secret keys instead");
    }
    String path = endpoint.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || endpoint.getRawQuery() != null
        || endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "endpoint must have no path, query or fragment, got '" + endpoint + "'");
    }
  }

  private static void checkTimeout(String what, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()
        || timeout.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(what + " must be positive and at most a day, got "
          + timeout);
    }
  }

  /**
   * Parses a duration as Quarkus does: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, a plain
   * number of seconds, or ISO-8601 ({@code PT5S}); {@code fallback} when blank.
   */
  static Duration parseDuration(String what, String text, Duration fallback) {
    if (blank(text)) {
      return fallback;
    }
    String t = text.trim();
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(what + " must be a duration such as 500ms, 5s, 2m or "
          + "PT5S, got '" + t + "'", e);
    }
  }

  private static void requireText(String what, String value) {
    if (blank(value)) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String or(String value, String fallback) {
    return blank(value) ? fallback : value.trim();
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
