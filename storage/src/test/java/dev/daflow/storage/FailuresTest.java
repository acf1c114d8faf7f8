package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures the in-process server cannot easily produce: proxies' and overloaded servers' 5xx. */
class FailuresTest {
  private final Failures failures =
      new Failures("http://minio:9000", Duration.ofSeconds(5), Duration.ofMillis(1500));

  @Test
  void serverErrorsAfterRetriesMeanUnavailable() {
    RuntimeException e = failures.translate("get", "daflow-models", "bundles/j.bundle",
        new ServerException("server failed with HTTP status code 503", 503, ""));
    assertThat(e).isInstanceOf(StorageUnavailableException.class)
        .hasMessage("object store at http://minio:9000 is unavailable: get 'bundles/j.bundle' in "
            + "bucket 'daflow-models': HTTP 503 after retries");
  }

  @Test
  void aProxysErrorPageIsUnavailableOnlyFor5xx() {
    RuntimeException gateway = failures.translate("list", "daflow-models", null,
        new InvalidResponseException(502, "text/html", "<html>Bad Gateway</html>", ""));
    RuntimeException other = failures.translate("list", "daflow-models", null,
        new InvalidResponseException(418, "text/plain", "teapot", ""));
    assertThat(gateway).isInstanceOf(StorageUnavailableException.class)
        .hasMessageEndingWith("list bucket 'daflow-models': HTTP 502 (not an S3 answer)");
    assertThat(other).isExactlyInstanceOf(StorageException.class)
        .hasMessageContaining("Response code: 418");
  }

  @Test
  void networkFailuresWrappedEitherWayMeanUnavailable() {
    ConnectException refused = new ConnectException("Connection refused");
    assertThat(failures.translate("stat", "b-1", "k", new MinioException(refused)))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageEndingWith("stat 'k' in bucket 'b-1': ConnectException: Connection refused "
            + "(timeouts: connect 5000 ms, read 1500 ms)");
    assertThat(failures.translate("stat", "b-1", "k", new IllegalStateException(refused)))
        .isInstanceOf(StorageUnavailableException.class)
        .hasCause(refused);
  }

  @Test
  void otherExceptionsPassThrough() {
    IllegalArgumentException bad = new IllegalArgumentException("bad part size");
    assertThat(failures.translate("put", "b-1", "k", bad)).isSameAs(bad);
  }
}
