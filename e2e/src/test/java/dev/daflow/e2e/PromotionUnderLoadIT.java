package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.events.ModelPromoted;
import dev.daflow.local.Services;
import dev.daflow.local.Services.Service;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, fault 5: a model promoted while inference is under load. Four client threads send
 * OIP v2 {@code infer} requests for one model without pause while its version 2 is trained and
 * promoted by the evaluator, then version 1's bundle is promoted again by hand (version 3): no
 * request fails across the swaps, every answer names a version ({@code model_version}), a
 * client never goes back to an older version, and every answer's outputs are exactly those the
 * version it names gives for that picture (so the name is true, not just present).
 *
 * <p>The evaluator runs here with the {@code final} policy (every job's bundle is promoted unless
 * collapsed), so that the second job surely makes a new version; the platform's evaluator, with
 * its default policy, is back at the end.
 */
@ExtendWith(Platform.class)
@Order(7)
class PromotionUnderLoadIT {
  private static final String MODEL = "f5-swap";
  private static final int CLIENTS = 4;

  /** One answer under load: its client, its version and its outputs. */
  private record Answer(int client, int picture, int version, List<Double> outputs) {}

  @Test
  void noRequestFailsAcrossPromotionsAndEveryAnswerNamesItsVersion() throws Exception {
    Platform p = Platform.get();
    FaultJobs.ingested(p);
    Services.Running evaluator = p.services.get(Service.EVALUATOR);
    evaluator.process().close();
    p.adopt(evaluator(p, "evaluator-f5", "final"));

    p.publisher.publish(FaultJobs.job("f5-v1", MODEL, 1, 2000, 3));
    ModelPromoted v1 = p.events.await(ModelPromoted.class, e -> e.jobId().equals("f5-v1"),
        Duration.ofMinutes(4));
    URI infer = p.url(Service.INFERENCE, "/v2/models/" + MODEL + "/infer");
    ImageDataset pictures = new DatasetCatalog(p.datasets,
        Files.createTempDirectory("e2e-f5-cache")).load("mnist", Split.TEST, 8);
    // Version 1 served: its outputs for each picture, before any load.
    FaultJobs.await("inference serves version " + v1.version(), Duration.ofMinutes(2),
        () -> versionOf(Http.postJson(infer, request(pictures, 0))) == v1.version());
    Map<Integer, List<List<Double>>> expected = new ConcurrentHashMap<>();
    expected.put(v1.version(), outputsOfAll(infer, pictures, v1.version()));

    List<Answer> answers = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        for (int i = 0; running.get(); i++) {
          int picture = (i + client) % pictures.count();
          try {
            Http.Reply r = Http.postJson(infer, request(pictures, picture));
            if (r.status() != 200) {
              failures.add(r.status() + " " + r.body());
            } else {
              answers.add(new Answer(client, picture, versionOf(r), outputs(r.json())));
            }
          } catch (Exception | AssertionError e) {
            failures.add(e.toString());
          }
        }
      }, "e2e-f5-client-" + c);
      t.start();
      clients.add(t);
    }
    long t0 = System.nanoTime();
    try {
      // A second job promoted by the evaluator under load, then version 1 again by hand.
      p.publisher.publish(FaultJobs.job("f5-v2", MODEL, 1, 2000, 4));
      ModelPromoted v2 = p.events.await(ModelPromoted.class, e -> e.jobId().equals("f5-v2"),
          Duration.ofMinutes(4));
      FaultJobs.await("answers from version " + v2.version(), Duration.ofMinutes(2),
          () -> answers.stream().filter(a -> a.version() == v2.version()).count() >= 20);
      Http.Reply manual = Http.post(p.url(Service.EVALUATOR, "/models/" + MODEL + "/versions/"
          + v1.version() + "/promote"), "application/json", new byte[0]);
      assertThat(manual.status()).as(manual.body()).isEqualTo(201);
      int v3 = manual.json().path("version").asInt();
      assertThat(v3).isGreaterThan(v2.version());
      FaultJobs.await("answers from version " + v3, Duration.ofMinutes(2),
          () -> answers.stream().filter(a -> a.version() == v3).count() >= 20);
      System.out.printf("e2e-f5: %d answers, %d failed, in %d s under %d clients; versions "
          + "%d -> %d -> %d%n", answers.size(), failures.size(),
          (System.nanoTime() - t0) / 1_000_000_000L, CLIENTS, v1.version(), v2.version(), v3);
      running.set(false);
      for (Thread t : clients) {
        t.join(60_000);
      }
      // Version 3 serves version 1's bundle: the same outputs, from a new load of it.
      expected.put(v3, outputsOfAll(infer, pictures, v3));
      assertThat(expected.get(v3)).as("version 3 is version 1's bundle")
          .isEqualTo(expected.get(v1.version()));

      assertThat(failures).as("failed requests across the swaps").isEmpty();
      assertThat(answers.stream().map(Answer::version).distinct())
          .as("versions answered").containsExactlyInAnyOrder(v1.version(), v2.version(), v3);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        List<Integer> seen = answers.stream().filter(a -> a.client() == client)
            .map(Answer::version).toList();
        assertThat(seen).as("client %d never goes back to an older version", client)
            .isSorted();
      }
      // Each answer is what the version it names gives: v1 and v3 as measured; v2's outputs
      // are the ones its own answers agree on, and differ from v1's.
      List<List<Double>> v2Outputs = new ArrayList<>();
      for (int i = 0; i < pictures.count(); i++) {
        v2Outputs.add(null);
      }
      for (Answer a : answers) {
        if (a.version() == v2.version()) {
          if (v2Outputs.get(a.picture()) == null) {
            v2Outputs.set(a.picture(), a.outputs());
          }
          assertClose(a.outputs(), v2Outputs.get(a.picture()), "v2 answer");
        } else {
          assertClose(a.outputs(), expected.get(a.version()).get(a.picture()),
              "v" + a.version() + " answer, picture " + a.picture());
        }
      }
      boolean differs = false;
      for (int i = 0; i < pictures.count(); i++) {
        differs |= v2Outputs.get(i) != null
            && !close(v2Outputs.get(i), expected.get(v1.version()).get(i));
      }
      assertThat(differs).as("version 2 is another model than version 1").isTrue();
    } finally {
      running.set(false);
      for (Thread t : clients) {
        t.join(60_000);
      }
      // The platform's evaluator again, with the default policy.
      p.services.get(Service.EVALUATOR).process().close();
      p.adopt(evaluator(p, "evaluator-f5-after", null));
    }
  }

  private static Services.Running evaluator(Platform p, String name, String policy) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("DAFLOW_EVALUATOR_DATA_URL", p.services.get(Service.DATA).url().toString());
    if (policy != null) {
      env.put("DAFLOW_EVALUATOR_PROMOTION_POLICY", policy);
    }
    return p.startReplica(Service.EVALUATOR, name, env, List.of());
  }

  /** The outputs for every picture from the served version, which must be {@code version}. */
  private static List<List<Double>> outputsOfAll(URI infer, ImageDataset pictures, int version)
      throws Exception {
    List<List<Double>> out = new ArrayList<>();
    for (int i = 0; i < pictures.count(); i++) {
      Http.Reply r = Http.postJson(infer, request(pictures, i));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(versionOf(r)).isEqualTo(version);
      out.add(outputs(r.json()));
    }
    return out;
  }

  /** An OIP v2 request for picture {@code i}: UINT8, shape [1, 28, 28, 1]. */
  private static Map<String, Object> request(ImageDataset pictures, int i) {
    byte[] bytes = pictures.picture(i);
    int[] data = new int[bytes.length];
    for (int k = 0; k < bytes.length; k++) {
      data[k] = bytes[k] & 0xff;
    }
    return Map.of("inputs", List.of(Map.of("name", "input", "datatype", "UINT8",
        "shape", new int[] {1, pictures.height(), pictures.width(), pictures.channels()},
        "data", data)));
  }

  private static int versionOf(Http.Reply r) throws Exception {
    if (r.status() != 200) {
      return -1;
    }
    JsonNode v = r.json().get("model_version");
    assertThat(v).as("model_version in " + r.body()).isNotNull();
    return Integer.parseInt(v.asText());
  }

  /** Every number of every output tensor, in order. */
  private static List<Double> outputs(JsonNode response) {
    List<Double> out = new ArrayList<>();
    for (JsonNode o : response.path("outputs")) {
      for (JsonNode x : o.path("data")) {
        out.add(x.asDouble());
      }
    }
    return out;
  }

  private static boolean close(List<Double> a, List<Double> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (Math.abs(a.get(i) - b.get(i)) > 1e-4) {
        return false;
      }
    }
    return true;
  }

  private static void assertClose(List<Double> actual, List<Double> expected, String what) {
    assertThat(close(actual, expected)).as(what + ": " + actual + " vs " + expected).isTrue();
  }
}
