package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageConfig;
import dev.daflow.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loading promoted versions from a fake bundle source: swaps, skips of older or superseded
 * versions, and failures that leave the served version alone.
 */
class ModelLoaderTest {
  private static byte[] bundle;

  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final ModelRegistry registry = new ModelRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ModelLoader loader = new ModelLoader(this::fetch, registry,
      new InferenceMetrics(meters, registry), Clock.systemUTC(),
      Backoff.fixed(Duration.ofMillis(1)), 2);

  @BeforeAll
  static void untrainedLeNet() throws IOException {
    Architecture lenet = Architectures.byName("lenet");
    Model model = new Model(Graphs.inference(lenet, 1), lenet.name(),
        Preprocessing.scalingOnly(lenet.input(), lenet.framing(), Scaling.UNIT),
        ImageDataset.DIGITS, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelBundle.write(model, out);
    bundle = out.toByteArray();
  }

  @AfterEach
  void stop() {
    loader.close();
  }

  private byte[] fetch(String key, String sha256) {
    CountDownLatch gate = gates.get(key);
    if (gate != null) {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = objects.get(key);
    if (bytes == null) {
      throw new StorageException("no object '" + key + "'");
    }
    return bytes;
  }

  private static LoadRequest version(int v) {
    return new LoadRequest("digits", v, "job-" + v, "bundles/job-" + v + ".bundle",
        "a".repeat(64), "test");
  }

  private static ModelLoader.Outcome outcome(CompletableFuture<ModelLoader.Outcome> f)
      throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private double loads(String outcome) {
    var c = meters.find("daflow.inference.model.loads").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void loadsNewerVersionsAndSkipsOlderOnes() throws Exception {
    for (int v = 1; v <= 3; v++) {
      objects.put("bundles/job-" + v + ".bundle", bundle);
    }
    assertThat(outcome(loader.load(version(2)))).isEqualTo(ModelLoader.Outcome.LOADED);
    assertThat(registry.lookup("digits").version()).isEqualTo(2);
    assertThat(registry.lookup("digits").model().classNames()).hasSize(10);
    assertThat(outcome(loader.load(version(1)))).isEqualTo(ModelLoader.Outcome.SKIPPED);
    assertThat(outcome(loader.load(version(2)))).isEqualTo(ModelLoader.Outcome.SKIPPED);
    assertThat(outcome(loader.load(version(3)))).isEqualTo(ModelLoader.Outcome.LOADED);
    assertThat(registry.version("digits")).isEqualTo(3);
    assertThat(loads("loaded")).isEqualTo(2);
    assertThat(loads("skipped")).isEqualTo(2);
    assertThat(meters.find("daflow.inference.model.version").tag("model", "digits").gauge()
        .value()).isEqualTo(3.0);
  }

  @Test
  void aReplayLoadsOnlyTheNewestWaitingVersion() throws Exception {
    for (int v = 1; v <= 3; v++) {
      objects.put("bundles/job-" + v + ".bundle", bundle);
    }
    // The loader is busy with another model while promotions 1..3 of digits arrive.
    objects.put("bundles/busy.bundle", bundle);
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("bundles/busy.bundle", gate);
    CompletableFuture<ModelLoader.Outcome> busy = loader.load(
        new LoadRequest("busy", 1, "j", "bundles/busy.bundle", "a".repeat(64), "test"));
    CompletableFuture<ModelLoader.Outcome> v1 = loader.load(version(1));
    CompletableFuture<ModelLoader.Outcome> v2 = loader.load(version(2));
    CompletableFuture<ModelLoader.Outcome> v3 = loader.load(version(3));
    gate.countDown();
    assertThat(outcome(busy)).isEqualTo(ModelLoader.Outcome.LOADED);
    assertThat(outcome(v1)).isEqualTo(ModelLoader.Outcome.SKIPPED);
    assertThat(outcome(v2)).isEqualTo(ModelLoader.Outcome.SKIPPED);
    assertThat(outcome(v3)).isEqualTo(ModelLoader.Outcome.LOADED);
    assertThat(registry.version("digits")).isEqualTo(3);
  }

  @Test
  void aFailedLoadKeepsTheServedVersionAndSaysWhy() throws Exception {
    objects.put("bundles/job-1.bundle", bundle);
    objects.put("bundles/job-2.bundle", "not a bundle".getBytes());
    assertThat(outcome(loader.load(version(1)))).isEqualTo(ModelLoader.Outcome.LOADED);
    assertThat(outcome(loader.load(version(2)))).isEqualTo(ModelLoader.Outcome.FAILED);
    assertThat(outcome(loader.load(version(3)))).isEqualTo(ModelLoader.Outcome.FAILED);
    assertThat(registry.version("digits")).isEqualTo(1);
    assertThat(loads("failed")).isEqualTo(2);

    assertThat(outcome(loader.load(new LoadRequest("other", 1, "j", "bundles/none.bundle",
        "a".repeat(64), "test")))).isEqualTo(ModelLoader.Outcome.FAILED);
    assertThatThrownBy(() -> registry.lookup("other"))
        .isInstanceOf(InferenceException.ModelNotReady.class)
        .hasMessageContaining("version 1 failed to load: no object 'bundles/none.bundle'");
  }

  /**
   * A store that does not answer (a real client's connection refused, ten times, far beyond the
   * four tries of old) is waited out: the load completes once it answers.
   */
  @Test
  void aStoreThatDoesNotAnswerIsWaitedOutUntilItIsBack() throws Exception {
    objects.put("bundles/job-1.bundle", bundle);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    AtomicInteger tries = new AtomicInteger();
    ModelRegistry served = new ModelRegistry();
    try (ObjectStore down = new ObjectStore(StorageConfig.of("http://127.0.0.1:" + port, "key",
        "secret"))) {
      ModelLoader waiting = new ModelLoader((key, sha) -> tries.incrementAndGet() <= 10
          ? down.getBytes(key, sha) : fetch(key, sha), served,
          new InferenceMetrics(new SimpleMeterRegistry(), served), Clock.systemUTC(),
          Backoff.fixed(Duration.ofMillis(1)), ModelLoader.FETCH_ATTEMPTS);
      try {
        assertThat(outcome(waiting.load(version(1)))).isEqualTo(ModelLoader.Outcome.LOADED);
      } finally {
        waiting.close();
      }
    }
    assertThat(tries.get()).isEqualTo(11);
    assertThat(served.version("digits")).isEqualTo(1);
  }
}
