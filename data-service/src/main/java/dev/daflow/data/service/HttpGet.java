package dev.daflow.data.service;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET to addresses given by the caller (checked by {@link DownloadPolicy}): the
 * URL's host is never resolved here, so what is connected to is what was checked. HTTPS uses the
 * given socket factory (the JVM's default trust store in the service), with SNI and host name
 * verification against the URL's host. Every read
 * waits at most the read timeout and never past the deadline. Redirects are not followed.
 */
final class HttpGet {
  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADERS = 200;

  private HttpGet() {}

  /** The time left for a whole download. */
  static final class Deadline {
    private final long end;
    private final Duration limit;

    Deadline(Duration limit) {
      this.limit = limit;
      this.end = System.nanoTime() + limit.toNanos();
    }

    /** Milliseconds left, at least 1; throws once the deadline has passed. */
    int millisLeft() throws TimedOut {
      long left = (end - System.nanoTime() + 999_999) / 1_000_000;
      if (left <= 0) {
        throw exceeded();
      }
      return (int) Math.min(Integer.MAX_VALUE, left);
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

  /**
   * A response: status, headers (names in lower case) and the body, framed by {@code
   * Content-Length} or chunked encoding or the end of the connection.
   */
  record Response(int status, Map<String, String> headers, InputStream body, Socket socket)
      implements Closeable {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Connects to the first of {@code addresses} that accepts, sends {@code GET url} and reads the
   * status line and headers.
   *
   * @param tls makes the TLS connections of https URLs
   * @throws IOException if no address accepts, TLS fails, the answer is not HTTP/1.x, or a
   *     timeout or the deadline strikes
   */
  static Response get(URI url, List<InetAddress> addresses, SSLSocketFactory tls,
      Duration connectTimeout, Duration readTimeout, Deadline deadline) throws IOException {
    URI ascii = URI.create(url.toASCIIString());
    boolean https = "https".equalsIgnoreCase(ascii.getScheme());
    int port = ascii.getPort() != -1 ? ascii.getPort() : https ? 443 : 80;
    String host = ascii.getHost();
    Socket socket = connect(addresses, port, connectTimeout, deadline);
    try {
      if (https) {
        socket = tls(tls, socket, host, port, readTimeout, deadline);
      }
      InputStream in = new BufferedInputStream(
          new TimedInput(socket, socket.getInputStream(), readTimeout, deadline), 1 << 16);
      OutputStream out = socket.getOutputStream();
      String target = (ascii.getRawPath() == null || ascii.getRawPath().isEmpty()
          ? "/" : ascii.getRawPath()) + (ascii.getRawQuery() == null ? "" : "?"
          + ascii.getRawQuery());
      String hostHeader = host + (ascii.getPort() == -1 ? "" : ":" + ascii.getPort());
      out.write(("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n"
          + "User-Agent: daflow-data-service\r\nAccept: */*\r\nAccept-Encoding: identity\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int status;
      Map<String, String> headers;
      do {
        status = statusLine(readLine(in));
        headers = headers(in);
      } while (status >= 100 && status < 200);
      return new Response(status, headers, body(in, headers), socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static Socket connect(List<InetAddress> addresses, int port, Duration connectTimeout,
      Deadline deadline) throws IOException {
    IOException last = null;
    for (InetAddress a : addresses) {
      Socket s = new Socket();
      try {
        int wait = (int) Math.min(connectTimeout.toMillis(), deadline.millisLeft());
        s.connect(new InetSocketAddress(a, port), Math.max(1, wait));
        return s;
      } catch (TimedOut e) {
        s.close();
        throw e;
      } catch (IOException e) {
        s.close();
        last = new IOException("cannot connect to " + a.getHostAddress() + " port " + port
            + " (" + Downloads.describe(e) + ")", e);
      }
    }
    throw last != null ? last : new IOException("no address to connect to");
  }

  private static Socket tls(SSLSocketFactory factory, Socket raw, String host, int port,
      Duration readTimeout, Deadline deadline) throws IOException {
    boolean literal = host.startsWith("[") || Addresses.literal(host).isPresent();
    String peer = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    SSLSocket ssl = (SSLSocket) factory.createSocket(raw, peer, port, true);
    SSLParameters p = ssl.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!literal) {
      p.setServerNames(List.of(new SNIHostName(peer)));
    }
    ssl.setSSLParameters(p);
    int left = deadline.millisLeft();
    boolean byDeadline = left < readTimeout.toMillis();
    ssl.setSoTimeout(byDeadline ? left : (int) readTimeout.toMillis());
    try {
      ssl.startHandshake();
    } catch (SocketTimeoutException e) {
      throw byDeadline ? deadline.exceeded()
          : new TimedOut("the TLS handshake took longer than " + Downloads.format(readTimeout)
              + " (daflow.data.read-timeout)");
    }
    return ssl;
  }

  private static int statusLine(String line) throws IOException {
    if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' ') {
      throw new IOException("the server's answer is not an HTTP/1.x response");
    }
    try {
      return Integer.parseInt(line.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("the server's answer has no valid HTTP status");
    }
  }

  private static Map<String, String> headers(InputStream in) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; ; i++) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return headers;
      }
      if (i == MAX_HEADERS) {
        throw new IOException("the server's answer has more than " + MAX_HEADERS + " headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("the server's answer has a malformed header");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + "," + b);
    }
  }

  private static InputStream body(InputStream in, Map<String, String> headers)
      throws IOException {
    String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    if (!te.isEmpty()) {
      if (!te.strip().endsWith("chunked")) {
        throw new IOException("the server's answer has an unsupported transfer encoding");
      }
      return new Chunked(in);
    }
    String length = headers.get("content-length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new IOException("the server's answer has an invalid Content-Length");
      }
      if (n < 0) {
        throw new IOException("the server's answer has an invalid Content-Length");
      }
      return new Sized(in, n);
    }
    return in; // until the server closes the connection
  }

  /** A CRLF- (or LF-) terminated line, ISO-8859-1, at most {@link #MAX_LINE} characters. */
  static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("the connection closed in the middle of the server's answer");
      }
      if (c == '\n') {
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
      }
      if (b.length() == MAX_LINE) {
        throw new IOException("the server's answer has a line longer than " + MAX_LINE
            + " characters");
      }
      b.append((char) c);
    }
  }

  /** Reads from the socket with the read timeout, never past the deadline. */
  private static final class TimedInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Duration readTimeout;
    private final Deadline deadline;

    TimedInput(Socket socket, InputStream in, Duration readTimeout, Deadline deadline) {
      this.socket = socket;
      this.in = in;
      this.readTimeout = readTimeout;
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int left = deadline.millisLeft();
      boolean byDeadline = left < readTimeout.toMillis();
      socket.setSoTimeout(byDeadline ? left : (int) readTimeout.toMillis());
      try {
        return in.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw byDeadline ? deadline.exceeded()
            : new TimedOut("no data came for " + Downloads.format(readTimeout)
                + " (daflow.data.read-timeout)");
      }
    }
  }

  /** A body of a known length; ending early is an error. */
  private static final class Sized extends InputStream {
    private final InputStream in;
    private final long length;
    private long left;

    Sized(InputStream in, long length) {
      this.in = in;
      this.length = length;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the body ended after " + (length - left) + " of its " + length
            + " bytes");
      }
      left -= n;
      return n;
    }
  }

  /** A chunked body; trailers are skipped, ending before the last chunk is an error. */
  private static final class Chunked extends InputStream {
    private final InputStream in;
    private long left;
    private boolean first = true;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        if (!first && !readLine(in).isEmpty()) {
          throw new IOException("the chunked body is malformed");
        }
        first = false;
        String size = readLine(in);
        int semi = size.indexOf(';');
        try {
          left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("the chunked body has an invalid chunk size");
        }
        if (left < 0) {
          throw new IOException("the chunked body has an invalid chunk size");
        }
        if (left == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the body ended inside a chunk");
      }
      left -= n;
      return n;
    }
  }
}
