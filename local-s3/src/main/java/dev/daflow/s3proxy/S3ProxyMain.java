package dev.daflow.s3proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * Starts S3Proxy from its properties file as S3Proxy's own {@code Main} does ({@code --properties
 * FILE}: {@code s3proxy.*} for the server, {@code jclouds.provider} and the store's settings), with
 * the store wrapped in {@link AtomicConditionalWrites}. Runs until the process is stopped. For
 * local-stack's S3 server, on a class path of S3Proxy's jar-with-dependencies and this module.
 */
public final class S3ProxyMain {
  private S3ProxyMain() {}

  /** {@code --properties FILE}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !"--properties".equals(args[0])) {
      System.err.println("usage: S3ProxyMain --properties FILE");
      System.exit(2);
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
      properties.load(in);
    } catch (IOException e) {
      System.err.println("cannot read " + args[1] + ": " + e.getMessage());
      System.exit(2);
    }
    String provider = properties.getProperty("jclouds.provider");
    if (provider == null) {
      System.err.println(args[1] + " must set jclouds.provider");
      System.exit(2);
    }
    BlobStore store = new AtomicConditionalWrites(BlobStores.create(provider, properties));
    S3Proxy proxy = S3Proxy.Builder.fromProperties(properties).blobStore(store).build();
    proxy.start();
  }
}
