package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.model.Model;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swaps, version order, and the 404/503 distinction. */
class ModelRegistryTest {
  // A Model with no graph: the registry never calls it.
  private static final Model MODEL = new Model(null, "lenet", null, List.of("0", "1"), null);

  private static LoadedModel version(String name, int v) {
    return new LoadedModel(name, v, "job-" + v, "bundles/job-" + v + ".bundle", "x", MODEL,
        Instant.EPOCH);
  }

  @Test
  void newerVersionsReplaceOlderOnesNeverTheReverse() {
    ModelRegistry r = new ModelRegistry();
    assertThat(r.offer(version("m", 2))).isTrue();
    assertThat(r.offer(version("m", 1))).isFalse();
    assertThat(r.offer(version("m", 2))).isFalse();
    assertThat(r.version("m")).isEqualTo(2);
    assertThat(r.offer(version("m", 3))).isTrue();
    assertThat(r.version("m")).isEqualTo(3);
  }

  @Test
  void aRequestKeepsTheVersionItStartedWith() {
    ModelRegistry r = new ModelRegistry();
    r.offer(version("m", 1));
    LoadedModel held = r.lookup("m");
    r.offer(version("m", 2));
    assertThat(held.version()).isEqualTo(1);
    assertThat(r.lookup("m").version()).isEqualTo(2);
  }

  @Test
  void unknownIs404AndPromotedButNotLoadedIs503() {
    ModelRegistry r = new ModelRegistry();
    assertThatThrownBy(() -> r.lookup("m"))
        .isInstanceOf(InferenceException.ModelNotFound.class)
        .hasMessageContaining("no model is loaded yet");
    r.announce("m");
    assertThatThrownBy(() -> r.lookup("m"))
        .isInstanceOf(InferenceException.ModelNotReady.class);
    r.failed("m", 1, "sha256 mismatch");
    assertThatThrownBy(() -> r.lookup("m"))
        .isInstanceOf(InferenceException.ModelNotReady.class)
        .hasMessageContaining("version 1 failed to load: sha256 mismatch");
    assertThat(r.hasAny()).isFalse();
    r.offer(version("m", 2));
    assertThat(r.hasAny()).isTrue();
    assertThat(r.lookup("m").version()).isEqualTo(2);
    assertThatThrownBy(() -> r.lookup("other"))
        .isInstanceOf(InferenceException.ModelNotFound.class)
        .hasMessageContaining("known models: [m]");
  }

  @Test
  void concurrentOffersEndWithTheNewest() throws InterruptedException {
    ModelRegistry r = new ModelRegistry();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      int start = t;
      threads[t] = new Thread(() -> {
        for (int v = start + 1; v <= 800; v += threads.length) {
          r.offer(version("m", v));
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(r.version("m")).isEqualTo(800);
  }
}
