package dev.daflow.platform.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.storage.EmbeddedS3;
import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real S3 server (S3Proxy, in process). */
class DatasetStoreTest {
  @TempDir static Path dir;
  static EmbeddedS3 s3;
  static ObjectStore objects;
  static DatasetStore store;

  @BeforeAll
  static void start() throws Exception {
    s3 = EmbeddedS3.start(dir);
    objects = new ObjectStore(s3.config());
    objects.ensureBuckets();
    store = new DatasetStore(objects);
  }

  @AfterAll
  static void stop() throws Exception {
    objects.close();
    s3.close();
  }

  static ImageDataset random(String name, int count, int channels, long seed) {
    Random r = new Random(seed);
    byte[] pixels = new byte[count * 8 * 6 * channels];
    r.nextBytes(pixels);
    int[] labels = r.ints(count, 0, 10).toArray();
    return new ImageDataset(name, pixels, labels, count, 8, 6, channels, ImageDataset.DIGITS);
  }

  @Test
  void storesSplitsAcrossShardsAndReadsThemBackExactly() throws IOException {
    int big = DatasetShards.PICTURES_PER_SHARD + 100;
    ImageDataset train = random("x/train", big, 3, 1);
    ImageDataset test = random("x/test", 7, 3, 2);
    DatasetManifest m = store.save("rgb", "test:random", Map.of(Split.TRAIN, train,
        Split.TEST, test));

    assertThat(m.counts()).containsEntry("train", big).containsEntry("test", 7);
    assertThat(m.splits().get("train").shards()).hasSize(2);
    assertThat(store.manifest("rgb")).contains(m);
    assertThat(store.list()).extracting(DatasetManifest::dataset).contains("rgb");

    ImageDataset back = store.load("rgb", Split.TRAIN);
    assertThat(back.name()).isEqualTo("rgb/train");
    assertThat(back.pixels()).isEqualTo(train.pixels());
    assertThat(back.labels()).isEqualTo(train.labels());
    ImageDataset first = store.load("rgb", Split.TRAIN, 10);
    assertThat(first.pixels()).isEqualTo(train.slice(0, 10).pixels());
    assertThat(store.load("rgb", Split.TEST).labels()).isEqualTo(test.labels());
  }

  @Test
  void anUnknownDatasetIsNamedAndADeletedOneIsGone() throws IOException {
    assertThatThrownBy(() -> store.load("nope", Split.TRAIN, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope' is not ingested");
    store.save("gone", "test", Map.of(Split.TRAIN, random("g", 3, 1, 3),
        Split.TEST, random("g", 2, 1, 4)));
    assertThat(store.delete("gone")).isTrue();
    assertThat(store.manifest("gone")).isEmpty();
    assertThat(objects.list("datasets/gone/"))
        .isEmpty();
    assertThat(store.delete("gone")).isFalse();
  }

  @Test
  void anAlteredShardIsRefused() throws IOException {
    DatasetManifest m = store.save("altered", "test", Map.of(Split.TRAIN,
        random("a", 5, 1, 5), Split.TEST, random("a", 5, 1, 6)));
    String key = m.splits().get("test").shards().get(0).key();
    // Overwrite the shard with other (valid) bytes: its SHA-256 no longer matches the manifest.
    objects.put(key, DatasetShards.encode(random("b", 5, 1, 7)),
        ObjectStore.OCTET_STREAM);
    assertThatThrownBy(() -> store.load("altered", Split.TEST))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void truncatedOrForeignShardBytesAreNamedErrors() {
    byte[] good = DatasetShards.encode(random("t", 4, 1, 8));
    assertThatThrownBy(() -> DatasetShards.decode(java.util.Arrays.copyOf(good, good.length - 3),
        "k1", "t", ImageDataset.DIGITS)).isInstanceOf(IOException.class).hasMessageContaining("k1")
        .hasMessageContaining("asks for");
    assertThatThrownBy(() -> DatasetShards.decode("PNG....".getBytes(), "k2", "t",
        ImageDataset.DIGITS)).isInstanceOf(IOException.class).hasMessageContaining("k2");
  }
}
