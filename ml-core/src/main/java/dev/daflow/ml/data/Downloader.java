package dev.daflow.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads {@link RemoteFile}s over HTTP(S), following redirects, into a temporary file that is
 * checked against the md5 (where known) and then atomically moved into place. The request
 * timeout bounds the whole download, body included (the JDK's own request timeout ends once the
 * headers arrive).
 */
final class Downloader {
  private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);

  private final HttpClient client;
  private final Duration requestTimeout;

  Downloader(Duration connectTimeout, Duration requestTimeout) {
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(connectTimeout)
        .build();
    this.requestTimeout = requestTimeout;
  }

  /**
   * Downloads {@code file} to {@code target}, trying each address in turn.
   *
   * @throws IOException naming every address tried and its problem, when all fail
   */
  void download(RemoteFile file, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    List<String> failures = new ArrayList<>();
    for (URI url : file.urls()) {
      Path tmp = Files.createTempFile(target.getParent(), "." + file.fileName(), ".part");
      try {
        LOG.info("Downloading {} to {}", url, target);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
        CompletableFuture<HttpResponse<Path>> exchange =
            client.sendAsync(request, HttpResponse.BodyHandlers.ofFile(tmp));
        HttpResponse<Path> response;
        try {
          // The response completes once its body is in the file: the deadline covers both.
          response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          exchange.cancel(true);
          throw new IOException("not downloaded within " + requestTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
          throw e.getCause() instanceof IOException io ? io
              : new IOException(String.valueOf(e.getCause()), e.getCause());
        }
        if (response.statusCode() != 200) {
          throw new IOException("HTTP status " + response.statusCode());
        }
        String problem = checksumProblem(tmp, file);
        if (problem != null) {
          throw new IOException(problem);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted downloading " + url);
      } catch (IOException e) {
        failures.add(url + ": " + e);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    throw new IOException("cannot download " + file.fileName() + " (" + String.join("; ",
        failures) + ")");
  }

  /** Why {@code path} does not match the file's md5, or {@code null} if it does or none is known. */
  static String checksumProblem(Path path, RemoteFile file) throws IOException {
    if (file.md5() == null) {
      return null;
    }
    String actual = md5(path, file.md5OfGunzipped());
    return actual.equalsIgnoreCase(file.md5()) ? null
        : "md5 " + actual + (file.md5OfGunzipped() ? " of the decompressed content" : "")
            + " differs from the expected " + file.md5();
  }

  /** Hex md5 of a file, or of its gzip-decompressed content. */
  static String md5(Path path, boolean gunzip) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = gunzip ? DataFiles.open(path) : Files.newInputStream(path)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
