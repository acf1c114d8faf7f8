package dev.daflow.data.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies archives into local files while counting and hashing them: HTTP(S) downloads (redirects
 * followed) and request bodies. Both stop at a size limit, so a huge body never fills the disk.
 */
public final class Downloads {
  private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);
  private static final long LOG_EVERY = 64L << 20;

  private final HttpClient client;
  private final Duration timeout;

  /**
   * @param connectTimeout how long to wait for a connection
   * @param timeout how long one download may take
   */
  public Downloads(Duration connectTimeout, Duration timeout) {
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(connectTimeout)
        .build();
    this.timeout = timeout;
  }

  /** A copied file: its size and hex SHA-256. */
  public record Copied(long bytes, String sha256) {}

  /**
   * Checks that {@code url} is an absolute http(s) address.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static URI checkUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url is required");
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("url must be an absolute http or https address, got '"
          + url + "'");
    }
    return uri;
  }

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @throws DatasetRejectedException if the server cannot be reached, answers with another status
   *     than 200, or sends more than {@code maxBytes}
   * @throws IOException if the target cannot be written
   */
  public Copied download(URI url, Path target, long maxBytes)
      throws DatasetRejectedException, IOException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    HttpResponse<InputStream> response;
    try {
      LOG.info("Downloading {}", url);
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted downloading " + url);
    } catch (IOException e) {
      throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
          "cannot download " + url + ": " + describe(e), e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
            "cannot download " + url + ": HTTP status " + response.statusCode());
      }
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > maxBytes) {
        throw tooLarge(url.toString(), declared, maxBytes);
      }
      return copy(body, target, maxBytes, url.toString(), true);
    } catch (TransferFailed e) {
      throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
          "cannot download " + url + ": " + describe((Exception) e.getCause()), e);
    }
  }

  /**
   * Copies a request body to {@code target}.
   *
   * @param name the body's name in messages
   * @throws DatasetRejectedException if it holds more than {@code maxBytes}
   * @throws IOException if the body breaks off or the target cannot be written
   */
  public static Copied receive(InputStream body, Path target, long maxBytes, String name)
      throws DatasetRejectedException, IOException {
    try {
      return copy(body, target, maxBytes, name, false);
    } catch (TransferFailed e) {
      throw (IOException) e.getCause();
    }
  }

  private static Copied copy(InputStream in, Path target, long maxBytes, String name,
      boolean logProgress) throws IOException, DatasetRejectedException {
    MessageDigest sha = sha256();
    long total = 0;
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(target)) {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          throw new TransferFailed(e);
        }
        if (n < 0) {
          break;
        }
        total += n;
        if (total > maxBytes) {
          throw tooLarge(name, total, maxBytes);
        }
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
        if (logProgress && total / LOG_EVERY != (total - n) / LOG_EVERY) {
          LOG.info("{}: {} MiB so far", name, total >> 20);
        }
      }
    }
    return new Copied(total, HexFormat.of().formatHex(sha.digest()));
  }

  private static DatasetRejectedException tooLarge(String name, long bytes, long maxBytes) {
    return new DatasetRejectedException(DatasetRejectedException.Kind.TOO_LARGE, name
        + " is larger than the limit of " + maxBytes + " bytes (daflow.data.max-upload-bytes)"
        + (bytes > maxBytes ? ": " + bytes + " bytes or more" : ""));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + m;
  }

  /** Reading the source failed (as opposed to writing the target). */
  private static final class TransferFailed extends IOException {
    private static final long serialVersionUID = 1L;

    TransferFailed(IOException cause) {
      super(cause);
    }
  }
}
