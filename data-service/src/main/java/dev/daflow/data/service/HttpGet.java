package dev.daflow.data.service;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * One GET with Apache HttpClient 5 to the addresses {@link DownloadPolicy} checked for the URL's
 * host. The client's {@link DnsResolver} is pinned: it answers with those addresses for that host
 * and refuses any other name, so the host is never resolved a second time and a DNS answer that
 * changed since the check (DNS rebinding) cannot move the connection elsewhere. HTTPS verifies the
 * certificate against the URL's host and sends it as SNI. Redirects, retries, content decoding and
 * protocol upgrades are off ({@link Downloads} follows redirects itself, through the policy). Each
 * read waits at most the read timeout; the download's deadline is checked on every read of the
 * body and cancels the exchange wherever it is. Errors never carry bytes of the server's answer.
 */
final class HttpGet implements Closeable {
  private final CloseableHttpClient client;
  private final HttpUriRequestBase request;
  private final CompletableFuture<Void> timer;
  private final Deadline deadline;
  private final Duration readTimeout;
  private ClassicHttpResponse response;
  private InputStream body;

  /** The time left for a whole download. */
  static final class Deadline {
    private final long end;
    private final Duration limit;

    Deadline(Duration limit) {
      this.limit = limit;
      this.end = System.nanoTime() + limit.toNanos();
    }

    /** Milliseconds left, at least 1; throws once the deadline has passed. */
    long millisLeft() throws TimedOut {
      long left = (end - System.nanoTime() + 999_999) / 1_000_000;
      if (left <= 0) {
        throw exceeded();
      }
      return left;
    }

    boolean passed() {
      return end - System.nanoTime() <= 0;
    }

    TimedOut exceeded() {
      return new TimedOut("it took longer than the limit of " + Downloads.format(limit)
          + " (daflow.data.download-timeout)");
    }
  }

  /** The deadline passed or no byte came within the read timeout. */
  static final class TimedOut extends IOException {
    private static final long serialVersionUID = 1L;

    TimedOut(String message) {
      super(message);
    }
  }

  private HttpGet(CloseableHttpClient client, URI url, Deadline deadline, long millisLeft,
      Duration readTimeout) {
    this.client = client;
    this.request = new HttpUriRequestBase("GET", url);
    this.deadline = deadline;
    this.readTimeout = readTimeout;
    this.timer = new CompletableFuture<Void>()
        .completeOnTimeout(null, millisLeft, TimeUnit.MILLISECONDS);
    timer.thenRun(request::cancel);
  }

  /**
   * Sends {@code GET url} to the first of {@code addresses} that accepts and reads the status and
   * headers.
   *
   * @param addresses the addresses the policy checked for the URL's host
   * @param tls trust material and settings for https URLs
   * @throws IOException if no address accepts, TLS fails, the answer is not HTTP/1.x, or a
   *     timeout or the deadline strikes
   */
  static HttpGet open(URI url, List<InetAddress> addresses, SSLContext tls,
      Downloads.Timeouts timeouts, Deadline deadline) throws IOException {
    URI ascii = URI.create(url.toASCIIString());
    String host = ascii.getHost();
    long left = deadline.millisLeft();
    long connect = Math.min(timeouts.connect().toMillis(), left);
    CloseableHttpClient client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new Pinned(host, addresses))
            .setTlsSocketStrategy(new Tls(tls, host))
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(connect))
                .setSocketTimeout(Timeout.of(timeouts.read()))
                .build())
            .setDefaultTlsConfig(TlsConfig.custom()
                .setHandshakeTimeout(Timeout.of(timeouts.read())).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setProtocolUpgradeEnabled(false).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableContentCompression()
        .disableCookieManagement()
        .disableAuthCaching()
        .setUserAgent("daflow-data-service")
        .build();
    HttpGet get = new HttpGet(client, ascii, deadline, left, timeouts.read());
    try {
      get.response = client.executeOpen(null, get.request, null);
      HttpEntity entity = get.response.getEntity();
      get.body = new Body(get, entity == null ? InputStream.nullInputStream()
          : entity.getContent());
      return get;
    } catch (IOException e) {
      IOException safe = get.translate(e);
      get.close();
      throw safe;
    } catch (RuntimeException e) {
      get.close();
      throw e;
    }
  }

  int status() {
    return response.getCode();
  }

  Optional<String> location() {
    return Optional.ofNullable(response.getFirstHeader("Location")).map(Header::getValue);
  }

  /** The length the server declared for the body, or -1 (chunked, or until the end). */
  long declaredLength() {
    HttpEntity entity = response.getEntity();
    return entity == null ? 0 : entity.getContentLength();
  }

  /** The body, ending with an error if it is cut short or the deadline passes. */
  InputStream body() {
    return body;
  }

  /** Drops the connection without reading what is left of the body. */
  @Override
  public void close() {
    timer.cancel(false);
    request.cancel();
    client.close(CloseMode.IMMEDIATE);
  }

  /**
   * What went wrong, in words fit for the user: the deadline or the read timeout, or the
   * exception itself when it names only the host, an address or the JDK's TLS problem. HttpCore's
   * parse and framing errors may quote the answer, so they are replaced.
   */
  private IOException translate(IOException e) {
    if (request.isCancelled() || deadline.passed()) {
      return deadline.exceeded();
    }
    if (e instanceof TimedOut || e instanceof ConnectTimeoutException
        || e instanceof HttpHostConnectException || e instanceof NoHttpResponseException) {
      return e;
    }
    if (e instanceof SocketTimeoutException) {
      return new TimedOut("no data came for " + Downloads.format(readTimeout)
          + " (daflow.data.read-timeout)");
    }
    if (e instanceof ConnectionClosedException) {
      return new EOFException("the connection closed in the middle of the server's answer");
    }
    if (e.getClass().getName().startsWith("org.apache.hc.")) {
      return new IOException("the server's answer is not valid HTTP/1.1 ("
          + e.getClass().getSimpleName() + ")", e);
    }
    return e;
  }

  /** The body: the deadline checked before every read, errors translated. */
  private static final class Body extends FilterInputStream {
    private final HttpGet get;

    Body(HttpGet get, InputStream in) {
      super(in);
      this.get = get;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      get.deadline.millisLeft();
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw get.translate(e);
      }
    }
  }

  /** Resolves the checked host to the checked addresses, and nothing else. */
  private record Pinned(String host, List<InetAddress> addresses) implements DnsResolver {
    Pinned {
      host = bare(host);
      addresses = List.copyOf(addresses);
    }

    private static String bare(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      return n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
    }

    @Override
    public InetAddress[] resolve(String name) throws UnknownHostException {
      if (!bare(name).equals(host)) {
        throw new UnknownHostException(name + " was not checked by the download policy");
      }
      return addresses.toArray(new InetAddress[0]);
    }

    @Override
    public String resolveCanonicalHostname(String name) throws UnknownHostException {
      resolve(name);
      return name;
    }
  }

  /**
   * HttpClient's TLS with both the JDK's and HttpClient's host name checks against the URL's
   * host, and SNI for it even where the JDK would not send it (names without a dot).
   */
  private static final class Tls extends DefaultClientTlsStrategy {
    private final String host;

    Tls(SSLContext context, String host) {
      super(context, HostnameVerificationPolicy.BOTH, HttpsSupport.getDefaultHostnameVerifier());
      this.host = host;
    }

    @Override
    protected void initializeSocket(SSLSocket socket) {
      if (!host.startsWith("[") && Addresses.literal(host).isEmpty()) {
        SSLParameters p = socket.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        socket.setSSLParameters(p);
      }
    }
  }
}
