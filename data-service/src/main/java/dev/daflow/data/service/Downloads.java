package dev.daflow.data.service;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies archives into local files while counting and hashing them: HTTP(S) downloads and
 * request bodies. Both stop at a size limit, so a huge body never fills the disk. Downloads go
 * only where the {@link DownloadPolicy} allows, to the addresses it checked (the host is resolved
 * once, by the policy), and so does every redirect (followed here, at most {@value
 * #MAX_REDIRECTS}); a whole download, body included, must finish within its time limit, and each
 * read within the read timeout. Errors name the URL and the problem, never bytes of the answer.
 */
public final class Downloads {
  private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);
  private static final long LOG_EVERY = 64L << 20;
  /** Most redirects one download follows. */
  public static final int MAX_REDIRECTS = 5;

  private final DownloadPolicy policy;
  private final Timeouts timeouts;
  private final SSLContext tls;

  /**
   * @param connect how long to wait for a connection
   * @param read how long to wait for the next bytes
   * @param total how long one download may take, body included
   */
  public record Timeouts(Duration connect, Duration read, Duration total) {
    public Timeouts {
      for (Duration d : new Duration[] {connect, read, total}) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("download timeouts must be positive, got " + d);
        }
      }
    }
  }

  /** Downloads over the JVM's default TLS settings (its trust store). */
  public Downloads(DownloadPolicy policy, Timeouts timeouts) {
    this(policy, timeouts, defaultTls());
  }

  /**
   * @param tls the trust material and settings of https connections (tests: a context that
   *     trusts their own certificate)
   */
  public Downloads(DownloadPolicy policy, Timeouts timeouts, SSLContext tls) {
    this.policy = policy;
    this.timeouts = timeouts;
    this.tls = tls;
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  /** A copied file: its size and hex SHA-256. */
  public record Copied(long bytes, String sha256) {}

  /**
   * Checks that {@code url} is an absolute http(s) address whose host the policy allows; nothing
   * is resolved yet.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public URI checkUrl(String url) {
    return policy.check(url);
  }

  /**
   * Downloads {@code url} to {@code target}, following redirects.
   *
   * @throws DatasetRejectedException {@link DatasetRejectedException.Kind#REFUSED} if the policy
   *     refuses the URL, an address of its host or a redirect; {@code DOWNLOAD_FAILED} if the
   *     server cannot be reached, answers with another status than 200, or the download takes
   *     too long; {@code TOO_LARGE} if it sends more than {@code maxBytes}
   * @throws IOException if the target cannot be written
   */
  public Copied download(URI url, Path target, long maxBytes)
      throws DatasetRejectedException, IOException {
    HttpGet.Deadline deadline = new HttpGet.Deadline(timeouts.total());
    URI current = url;
    for (int redirects = 0; ; redirects++) {
      DownloadPolicy.Target checked;
      try {
        checked = policy.resolve(current);
      } catch (DatasetRejectedException e) {
        throw new DatasetRejectedException(e.kind(), "cannot download " + url + ": "
            + (current == url ? "" : e.kind() == DatasetRejectedException.Kind.REFUSED
                ? "it redirects to a refused address: " : "it redirects: ") + e.getMessage(), e);
      }
      LOG.info("Downloading {}", current);
      HttpGet response;
      try {
        response = HttpGet.open(current, checked.addresses(), tls, timeouts, deadline);
      } catch (IOException e) {
        throw failed(url, e);
      }
      try (response) {
        int status = response.status();
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
          current = redirect(url, current, status, response.location(), redirects);
          continue;
        }
        if (status != 200) {
          throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
              "cannot download " + url + ": HTTP status " + status);
        }
        long declared = response.declaredLength();
        if (declared > maxBytes) {
          throw tooLarge(url.toString(), declared, maxBytes);
        }
        return copy(response.body(), target, maxBytes, url.toString(), true);
      } catch (TransferFailed e) {
        throw failed(url, (IOException) e.getCause());
      }
    }
  }

  private URI redirect(URI url, URI current, int status, Optional<String> location,
      int redirects) throws DatasetRejectedException {
    String to = location.orElseThrow(() ->
        new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
            "cannot download " + url + ": HTTP status " + status + " without a Location"));
    if (redirects == MAX_REDIRECTS) {
      throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
          "cannot download " + url + ": more than " + MAX_REDIRECTS + " redirects");
    }
    URI next;
    try {
      next = current.resolve(new URI(to.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
          "cannot download " + url + ": it redirects to an invalid address");
    }
    if ("https".equalsIgnoreCase(current.getScheme())
        && !"https".equalsIgnoreCase(next.getScheme())) {
      throw new DatasetRejectedException(DatasetRejectedException.Kind.REFUSED,
          "cannot download " + url + ": it redirects from https to another scheme; refused");
    }
    LOG.info("{} redirects ({}) to {}", current, status, next);
    return next;
  }

  private static DatasetRejectedException failed(URI url, IOException e) {
    return new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
        "cannot download " + url + ": " + (e instanceof HttpGet.TimedOut
            || e.getClass() == IOException.class || e.getClass() == EOFException.class
            ? e.getMessage() : describe(e)), e);
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

  /** A duration as people write it: {@code 30 s}, {@code 250 ms}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String describe(Exception e) {
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
