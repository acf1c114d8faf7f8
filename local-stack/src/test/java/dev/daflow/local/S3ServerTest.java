package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StoredObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An object through a real S3Proxy process, with the SHA-256 rule of docs/storage.md. */
class S3ServerTest {
  @TempDir
  Path dir;

  @Test
  void objectRoundTripsWithItsSha256() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    String key = ObjectKeys.checkpoint("job-s3", 3);

    try (S3Server server = S3Server.start(dir.resolve("s3"), dir.resolve("logs/s3.log"),
            S3Server.Settings.local());
        ObjectStore store = new ObjectStore(server.config())) {
      assertThat(server.process().isAlive()).isTrue();
      assertThat(store.ensureBuckets()).containsExactlyElementsOf(
          server.config().buckets().all());
      String bucket = store.bucketFor(key);

      StoredObject stored = store.put(bucket, key, bytes, ObjectStore.OCTET_STREAM);

      assertThat(stored.sha256()).isEqualTo(sha256);
      assertThat(stored.size()).isEqualTo(bytes.length);
      assertThat(store.getBytes(bucket, key, sha256)).isEqualTo(bytes);
      assertThat(store.stat(bucket, key).sha256()).isEqualTo(sha256);
      // The filesystem backend: one file per object.
      assertThat(Files.readAllBytes(server.objects().resolve(bucket).resolve(key)))
          .isEqualTo(bytes);
      assertThatThrownBy(() -> store.getBytes(bucket, key, "0".repeat(64)))
          .isInstanceOf(IntegrityException.class);
    }
    assertThat(Files.readString(dir.resolve("logs/s3.log"))).contains("[s3proxy]");
  }
}
