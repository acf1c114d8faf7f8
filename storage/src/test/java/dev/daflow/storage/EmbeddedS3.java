package dev.daflow.storage;

import dev.daflow.s3proxy.AtomicConditionalWrites;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3-compatible server in this JVM: S3Proxy with its {@code filesystem} backend (each
 * object a file under {@link #basedir()}, its metadata in extended attributes), on a free port of
 * 127.0.0.1, with random credentials and AWS V2/V4 signatures checked. {@link #config()} points an
 * {@link ObjectStore} at it exactly as at MinIO. The store is wrapped in {@link
 * AtomicConditionalWrites}, as local-stack's server is, so that conditional writes hold under
 * racing writers (docs/storage.md).
 *
 * <p>Test code for now; the local stack launcher can start S3Proxy the same way, keeping it off
 * the services' runtime classpath.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final Path basedir;
  private final String accessKey;
  private final String secretKey;
  private boolean https;

  private EmbeddedS3(S3Proxy proxy, BlobStore blobStore, Path basedir, String accessKey,
      String secretKey) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.basedir = basedir;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts a server storing under {@code basedir} (an existing folder). */
  public static EmbeddedS3 start(Path basedir) throws Exception {
    return start(basedir, AtomicConditionalWrites::new);
  }

  /**
   * Starts a server storing under {@code basedir} whose filesystem store is wrapped by {@code
   * decorate} ({@code UnaryOperator.identity()}: S3Proxy as it comes).
   */
  static EmbeddedS3 start(Path basedir, UnaryOperator<BlobStore> decorate) throws Exception {
    return start(basedir, decorate, null, null);
  }

  /**
   * Starts a server that answers only HTTPS ({@code https://127.0.0.1:<port>}), with the key and
   * certificate of {@code keyStore} (PKCS12).
   */
  static EmbeddedS3 startHttps(Path basedir, Path keyStore, String password) throws Exception {
    return start(basedir, AtomicConditionalWrites::new, keyStore, password);
  }

  /** Starts the server: plain HTTP when {@code keyStore} is null, else HTTPS only. */
  private static EmbeddedS3 start(Path basedir, UnaryOperator<BlobStore> decorate, Path keyStore,
      String password) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", basedir.toAbsolutePath().toString());
    BlobStore blobStore = decorate.apply(BlobStores.create("filesystem", properties));
    String accessKey = "daflow-" + random(4);
    String secretKey = random(20);
    S3Proxy.Builder builder = S3Proxy.builder()
        .blobStore(blobStore)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey);
    if (keyStore == null) {
      builder.endpoint(URI.create("http://127.0.0.1:0"));
    } else {
      builder.secureEndpoint(URI.create("https://127.0.0.1:0"))
          .keyStore(keyStore.toString(), password);
    }
    S3Proxy proxy = builder.build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10); // the poll interval, inside the deadline above
    }
    EmbeddedS3 server = new EmbeddedS3(proxy, blobStore, basedir, accessKey, secretKey);
    server.https = keyStore != null;
    return server;
  }

  /** The configuration of a store on this server, with the default buckets. */
  public StorageConfig config() {
    return StorageConfig.of(endpoint(), accessKey, secretKey);
  }

  /** {@code http://127.0.0.1:<port>}, or {@code https://} for {@link #startHttps}. */
  public String endpoint() {
    return https ? "https://127.0.0.1:" + proxy.getSecurePort()
        : "http://127.0.0.1:" + proxy.getPort();
  }

  /** Where the objects are: {@code <basedir>/<bucket>/<key>}. */
  public Path basedir() {
    return basedir;
  }

  /** Stops the server (the files stay). */
  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      blobStore.close();
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
