package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.Prediction;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link InferenceService} with dynamic batching on a real (untrained) LeNet: concurrent single
 * pictures get their own predictions, as the model gives them in process, and malformed requests
 * among them are refused with their own error without failing the others.
 */
class InferenceBatchingTest {
  static final int PICTURES = 12;
  static Model model;
  static ImageDataset pictures;

  final List<Integer> batchRequests = new CopyOnWriteArrayList<>();
  /** Opens when the first forward pass has started (and is held). */
  final CountDownLatch held = new CountDownLatch(1);
  final ExecutorService pool = Executors.newFixedThreadPool(PICTURES + 2);

  @BeforeAll
  static void lenet() {
    Architecture lenet = Architectures.byName("lenet");
    model = new Model(Graphs.inference(lenet, 3), lenet.name(),
        Preprocessing.scalingOnly(lenet.input(), lenet.framing(), Scaling.UNIT),
        ImageDataset.DIGITS, null);
    Random random = new Random(11);
    byte[] px = new byte[PICTURES * 16 * 16];
    random.nextBytes(px);
    pictures = new ImageDataset("random", px, new int[PICTURES], PICTURES, 16, 16, 1,
        List.of("?"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * The service over one model; the first forward pass is held back until {@code gate} opens,
   * so the requests arriving meanwhile gather into batches.
   */
  private InferenceService service(DynamicBatcher<Model> batcher) {
    ModelRegistry registry = new ModelRegistry();
    registry.offer(new LoadedModel("digits", 1, "job-1", "bundles/job-1.bundle", "x", model,
        Instant.EPOCH));
    return new InferenceService(registry, new Admission(PICTURES + 2, Duration.ofSeconds(10)),
        batcher, new TensorDecoder(256, 4_194_304), new PictureDecoder(4_194_304));
  }

  /** Waits until {@code n} requests for the model have joined a batch (the held one or later). */
  private static void awaitJoined(DynamicBatcher<Model> batcher, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.joined("digits") < n) {
      assertThat(System.nanoTime()).as("%d requests joined within 10 s", n).isLessThan(deadline);
      Thread.sleep(2); // poll interval
    }
    assertThat(batcher.joined("digits")).isEqualTo(n);
  }

  private DynamicBatcher<Model> batcher(CountDownLatch gate) {
    AtomicBoolean first = new AtomicBoolean(true);
    return new DynamicBatcher<>((m, x, n) -> {
      if (first.getAndSet(false)) {
        held.countDown();
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return m.probabilities(x, n);
    }, true, Duration.ofMillis(2), 64,
        (lane, requests, count, waits) -> batchRequests.add(requests));
  }

  private static byte[] body(String datatype, String shape, int[] data) {
    StringBuilder sb = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"")
        .append(datatype).append("\",\"shape\":").append(shape).append(",\"data\":[");
    for (int i = 0; i < data.length; i++) {
      sb.append(i > 0 ? "," : "").append(data[i]);
    }
    return sb.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] picture(int i) {
    int[] data = new int[16 * 16];
    byte[] px = pictures.picture(i);
    for (int k = 0; k < data.length; k++) {
      data[k] = px[k] & 0xff;
    }
    return body("UINT8", "[1,16,16,1]", data);
  }

  @Test
  void concurrentPicturesGetTheirOwnPredictionsAndBadOnesFailAlone() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    DynamicBatcher<Model> batcher = batcher(gate);
    InferenceService service = service(batcher);
    List<Future<Prediction>> good = new ArrayList<>();
    for (int i = 0; i < PICTURES; i++) {
      byte[] body = picture(i);
      good.add(pool.submit(() -> service.infer("digits", null, body).predictions()[0]));
    }
    Future<?> wrongShape = pool.submit(() -> service.infer("digits", null,
        body("UINT8", "[1,16,16]", new int[256])));
    Future<?> wrongType = pool.submit(() -> service.infer("digits", null,
        body("INT32", "[1,16,16,1]", new int[256])));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    // The first pass is held: the other good ones queue behind it (the bad two never join).
    awaitJoined(batcher, PICTURES);
    gate.countDown();

    assertThatThrownBy(() -> wrongShape.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("has 3 dimensions; expected [N, H, W, C]");
    assertThatThrownBy(() -> wrongType.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("datatype 'INT32' is not supported");
    double largest = 0;
    for (int i = 0; i < PICTURES; i++) { // every leader among them reports before it returns
      Prediction served = good.get(i).get(10, TimeUnit.SECONDS);
      Prediction alone = model.classify(pictures.slice(i, i + 1))[0];
      assertThat(served.label()).as("picture %d", i).isEqualTo(alone.label());
      for (int c = 0; c < 10; c++) {
        assertThat(served.probabilities()[c]).as("picture %d class %d", i, c)
            .isCloseTo(alone.probabilities()[c], offset(1e-6f));
        largest = Math.max(largest,
            Math.abs(served.probabilities()[c] - alone.probabilities()[c]));
      }
    }
    System.out.printf("batched against one picture at a time: largest difference %.3g%n",
        largest);
    assertThat(batchRequests.stream().mapToInt(Integer::intValue).sum()).isEqualTo(PICTURES);
    assertThat(batchRequests).as("requests per forward pass").anySatisfy(
        n -> assertThat(n).isGreaterThan(1));
  }

  @Test
  void aBatchMemberGetsExactlyTheRowsOfItsPicturesInTheBatch() throws Exception {
    // The rows of a request in a batch are those of its pictures in the same batch computed in
    // process: bit for bit, whatever else shares the pass.
    CountDownLatch gate = new CountDownLatch(1);
    DynamicBatcher<Model> batcher = batcher(gate);
    InferenceService service = service(batcher);
    List<Future<Prediction>> served = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] body = picture(i);
      served.add(pool.submit(() -> service.infer("digits", null, body).predictions()[0]));
      if (i == 0) { // picture 0 is the held pass, 1-3 queue behind it
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      }
    }
    awaitJoined(batcher, 4); // the held pass and the three behind it
    gate.countDown();
    Prediction[] inProcess = model.classify(pictures.slice(1, 4));
    for (int i = 1; i < 4; i++) {
      assertThat(served.get(i).get(10, TimeUnit.SECONDS).probabilities())
          .containsExactly(inProcess[i - 1].probabilities());
    }
    served.get(0).get(10, TimeUnit.SECONDS); // each leader reports its batch before it returns
    assertThat(batchRequests).containsExactly(1, 3);
  }

  @Test
  void withoutBatchingEachRequestIsTheModelsOwnAnswer() {
    InferenceService service = service(new DynamicBatcher<>(Model::probabilities, false,
        Duration.ofMillis(2), 64, DynamicBatcher.Listener.NONE));
    for (int i = 0; i < 3; i++) {
      assertThat(service.infer("digits", null, picture(i)).predictions()[0].probabilities())
          .containsExactly(model.classify(pictures.slice(i, i + 1))[0].probabilities());
    }
  }
}
