package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.ModelPromoted;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.local.BrokerSecurity;
import dev.daflow.local.Services.Service;
import dev.daflow.platform.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed and invalid events, bad HTTP input and requests without a token: each gets its clear
 * refusal, and a valid job published after them still completes.
 */
@ExtendWith(Platform.class)
@Order(2)
class RefusalsIT {

  @Test
  void malformedAndInvalidTrainingRequestsAreRejectedAndTheConsumerGoesOn() throws Exception {
    Platform p = Platform.get();
    // A broken producer with every right (the super user: a client may write only its own
    // requests topic, not the services' topics).
    try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(new KafkaSettings(
        p.kafka.bootstrapServers(), "e2e-raw",
        p.stack.kafka().clientSecurity(BrokerSecurity.ADMIN_USER)).producer())) {
      raw.send(new ProducerRecord<>(p.publisher.requestsTopic(), "garbage-1",
          "{not json".getBytes(StandardCharsets.UTF_8))).get();
      // The evaluator reads daflow.training, the inference service daflow.models.
      raw.send(new ProducerRecord<>(Topics.TRAINING, "garbage-2",
          "{not json".getBytes(StandardCharsets.UTF_8))).get();
      raw.send(new ProducerRecord<>(Topics.MODELS, "garbage-3",
          "{not json".getBytes(StandardCharsets.UTF_8))).get();
    }
    p.publisher.publish(new TrainingRequested("bad-1", null, "dann", "no-such-set", "usps",
        null, 0, 64, null, null, "none", 1, 0));

    TrainingRejected garbage = p.events.await(TrainingRejected.class,
        e -> e.jobId().equals("garbage-1"), Duration.ofMinutes(1));
    assertThat(String.join(" ", garbage.problems()) + garbage.reason()).isNotBlank();
    TrainingRejected bad = p.events.await(TrainingRejected.class,
        e -> e.jobId().equals("bad-1"), Duration.ofMinutes(1));
    assertThat(String.join("\n", bad.problems())).contains("epochs").contains("no-such-set");

    // The evaluator and the inference service count the garbage and keep consuming.
    awaitMetric(p.url(Service.EVALUATOR, "/q/metrics"), "daflow_events_malformed_total",
        Topics.TRAINING);
    awaitMetric(p.url(Service.INFERENCE, "/q/metrics"), "daflow_events_malformed_total",
        Topics.MODELS);

    // A valid job after the garbage still trains, is evaluated and promoted.
    String job = "e2e-after-garbage";
    p.publisher.publish(new TrainingRequested(job, "digits-after-garbage", "source-only",
        "mnist", "usps", "lenet", 1, 64, null, null, "none", 3, 2000));
    p.events.await(TrainingCompleted.class, e -> e.jobId().equals(job), Duration.ofMinutes(4));
    p.events.await(ModelPromoted.class, e -> e.jobId().equals(job), Duration.ofMinutes(3));
  }

  /**
   * Waits until a counter line of {@code metric} with {@code label} has a value of at least 1;
   * at the deadline the failure lists the lines of {@code metric} last seen.
   */
  private static void awaitMetric(java.net.URI metrics, String metric, String label) {
    AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
    try {
      FaultJobs.await(metric + " for " + label + " at " + metrics, Duration.ofMinutes(1),
          Duration.ofMillis(500), () -> {
            seen.set(Http.get(metrics).body().lines()
                .filter(line -> line.startsWith(metric + "{")).toList());
            return seen.get().stream().anyMatch(line -> line.contains("\"" + label + "\"")
                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1);
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; lines of " + metric + " last seen: "
          + seen.get(), e);
    }
  }

  @Test
  void aRequestWithoutATokenIsRefusedByEveryService() throws Exception {
    Platform p = Platform.get();
    Map<Service, String> reads = Map.of(Service.DATA, "/datasets", Service.TRAINER, "/jobs",
        Service.EVALUATOR, "/models", Service.INFERENCE, "/v2/models/" + FlowIT.MODEL);
    for (var e : reads.entrySet()) {
      String what = e.getKey().module() + " GET " + e.getValue();
      assertThat(Http.withoutToken("GET", p.url(e.getKey(), e.getValue())).status()).as(what)
          .isEqualTo(401);
      assertThat(Http.get(p.url(e.getKey(), e.getValue())).status()).as(what + " with the token")
          .isNotIn(401, 403);
      // The probes and the metrics stay open (kubelet, Prometheus).
      assertThat(Http.withoutToken("GET", p.url(e.getKey(), "/q/health/live")).status())
          .as(e.getKey().module() + " liveness").isEqualTo(200);
      assertThat(Http.withoutToken("GET", p.url(e.getKey(), "/q/metrics")).status())
          .as(e.getKey().module() + " metrics").isEqualTo(200);
    }
    // Nor can anyone train, delete, promote or classify without one.
    assertThat(Http.withoutToken("POST", p.url(Service.TRAINER, "/jobs")).status())
        .isEqualTo(401);
    assertThat(Http.withoutToken("DELETE", p.url(Service.DATA, "/datasets/usps")).status())
        .isEqualTo(401);
    assertThat(Http.withoutToken("POST", p.url(Service.EVALUATOR, "/models/" + FlowIT.MODEL
        + "/versions/1/promote")).status()).isEqualTo(401);
    assertThat(Http.withoutToken("POST", p.url(Service.INFERENCE, "/v2/models/" + FlowIT.MODEL
        + "/classify")).status()).isEqualTo(401);
  }

  @Test
  void badHttpInputGetsAClearJsonError() throws Exception {
    Platform p = Platform.get();
    Map<String, Http.Reply> replies = Map.of(
        "picture endpoint, not a picture", Http.post(
            p.url(Service.INFERENCE, "/v2/models/" + FlowIT.MODEL + "/classify"), "image/png",
            "hello".getBytes(StandardCharsets.UTF_8)),
        "infer, wrong shape", Http.postJson(
            p.url(Service.INFERENCE, "/v2/models/" + FlowIT.MODEL + "/infer"),
            Map.of("inputs", new Object[] {Map.of("name", "input", "datatype", "UINT8",
                "shape", new int[] {1, 28, 28, 1}, "data", new int[] {1, 2, 3})})),
        "infer, wrong type", Http.postJson(
            p.url(Service.INFERENCE, "/v2/models/" + FlowIT.MODEL + "/infer"),
            Map.of("inputs", new Object[] {Map.of("name", "input", "datatype", "BYTES",
                "shape", new int[] {1}, "data", new String[] {"x"})})));
    replies.forEach((what, r) -> {
      assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).as(what).contains("error");
    });

    assertThat(Http.post(p.url(Service.INFERENCE, "/v2/models/no-such-model/classify"),
        "image/png", new byte[] {1}).status()).isEqualTo(404);
    Http.Reply unknownSet = Http.post(p.url(Service.DATA, "/datasets/catalog/no-such-set"),
        "application/json", new byte[0]);
    assertThat(unknownSet.status()).isEqualTo(404);
    assertThat(unknownSet.body()).contains("usps");
    assertThat(Http.get(p.url(Service.TRAINER, "/jobs/no-such-job")).status()).isEqualTo(404);
  }
}
