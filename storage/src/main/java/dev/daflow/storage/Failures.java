package dev.daflow.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the MinIO client throws into the module's exceptions. The client reports server
 * answers as {@link MinioException}s, and network failures either as a {@code MinioException}
 * wrapping an {@link IOException} or as an {@link IllegalStateException} wrapping it (its
 * synchronous facade rethrows non-MinIO causes so); both become {@link
 * StorageUnavailableException}, whose message names the timeouts: OkHttp reports a read timeout
 * as a closed socket.
 */
final class Failures {
  private static final Pattern RESPONSE_CODE = Pattern.compile("Response code: (\\d{3})");

  private final String endpoint;
  private final String timeouts;

  /** For {@code endpoint}, whose timeouts are named in unavailability messages. */
  Failures(String endpoint, Duration connectTimeout, Duration readTimeout) {
    this.endpoint = endpoint;
    this.timeouts = " (timeouts: connect " + millis(connectTimeout) + ", read "
        + millis(readTimeout) + ")";
  }

  /** Translates a failure of operation {@code op} on {@code key} ({@code null}: the bucket). */
  RuntimeException translate(String op, String bucket, String key, Exception e) {
    if (e instanceof StorageException se) {
      return se;
    }
    String what = describe(op, bucket, key);
    if (e instanceof ErrorResponseException ere) {
      String code = ere.errorResponse().code();
      if ("NoSuchBucket".equals(code)) {
        return new ObjectNotFoundException(bucket, null, endpoint, e);
      }
      if (key != null && ("NoSuchKey".equals(code) || "NoSuchObject".equals(code))) {
        return new ObjectNotFoundException(bucket, key, endpoint, e);
      }
      if (key != null && ("PreconditionFailed".equals(code)
          || "ConditionalRequestConflict".equals(code))) {
        return new WriteConflictException(key, what + " at " + endpoint + ": " + code
            + ": the object changed since it was read, or exists already", e);
      }
      return new StorageException(what + " at " + endpoint + " failed: " + code + ": "
          + ere.errorResponse().message(), e);
    }
    if (e instanceof ServerException se) {
      return new StorageUnavailableException(endpoint,
          what + ": HTTP " + se.statusCode() + " after retries", e);
    }
    if (e instanceof InvalidResponseException) {
      Matcher m = RESPONSE_CODE.matcher(String.valueOf(e.getMessage()));
      if (m.find() && m.group(1).startsWith("5")) {
        return new StorageUnavailableException(endpoint,
            what + ": HTTP " + m.group(1) + " (not an S3 answer)", e);
      }
      return new StorageException(what + " at " + endpoint + " failed: " + e.getMessage(), e);
    }
    Throwable certificate = certificateCause(e);
    if (certificate != null) {
      return new StorageUnavailableException(endpoint, what + ": the server's TLS certificate is "
          + "not trusted (" + certificate.getMessage() + "); if its CA is private, set "
          + StorageConfig.ENV_TRUSTSTORE_LOCATION, e);
    }
    IOException io = ioCause(e);
    if (io != null) {
      return unavailable(what, io);
    }
    if (e instanceof MinioException) {
      return new StorageException(what + " at " + endpoint + " failed: " + e.getMessage(), e);
    }
    return e instanceof RuntimeException re ? re
        : new StorageException(what + " at " + endpoint + " failed: " + e, e);
  }

  /** The store became unreachable during {@code what}. */
  StorageUnavailableException unavailable(String what, IOException cause) {
    return new StorageUnavailableException(endpoint, what + ": "
        + cause.getClass().getSimpleName() + ": " + cause.getMessage() + timeouts, cause);
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  static String describe(String op, String bucket, String key) {
    return key == null ? op + " bucket '" + bucket + "'"
        : op + " '" + key + "' in bucket '" + bucket + "'";
  }

  /** A certificate the client refused, anywhere in the causes (before any IOException). */
  private static Throwable certificateCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.security.cert.CertificateException
          || c instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static IOException ioCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException io) {
        return io;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
