package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.DatasetIngested;
import dev.daflow.events.TrainingRequested;
import dev.daflow.local.Services.Service;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * What the fault tests (issue 15) share: the datasets, small jobs, a metric, polling with a
 * deadline.
 */
final class FaultJobs {
  private FaultJobs() {}

  /** MNIST and USPS in the store (FlowIT ingests them; a fault test run alone does it here). */
  static void ingested(Platform p) throws Exception {
    for (String name : new String[] {"mnist", "usps"}) {
      Http.Reply r = Http.post(p.url(Service.DATA, "/datasets/catalog/" + name),
          "application/json", new byte[0]);
      assertThat(r.status()).as(r.body()).isIn(200, 201);
      if (r.status() == 201) {
        p.events.await(DatasetIngested.class, e -> e.dataset().equals(name),
            Duration.ofMinutes(1));
      }
    }
  }

  /**
   * A source-only lenet job MNIST->USPS of {@code epochs} epochs over {@code pictures} pictures,
   * batch 64: 600 pictures, 1 epoch is a few seconds of training.
   */
  static TrainingRequested job(String id, String model, int epochs, int pictures, long seed) {
    return new TrainingRequested(id, model, "source-only", "mnist", "usps", "lenet", epochs, 64,
        null, null, "none", seed, pictures);
  }

  /** The sum of a Prometheus counter or gauge over its series at {@code base}'s /q/metrics. */
  static double metric(URI base, String name) throws Exception {
    Http.Reply r = Http.get(base.resolve("/q/metrics"));
    assertThat(r.status()).isEqualTo(200);
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
        .matcher(r.body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  /** Polls {@code check} every 200 ms until it holds, failing with {@code what} at the deadline. */
  static void await(String what, Duration timeout, Callable<Boolean> check) {
    await(what, timeout, Duration.ofMillis(200), check);
  }

  /**
   * Polls {@code check} every {@code every} until it holds (Awaitility, on this thread, the
   * first look at once), failing with {@code what} at the deadline; an exception from {@code
   * check} fails at once.
   */
  static void await(String what, Duration timeout, Duration every, Callable<Boolean> check) {
    Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(every)
        .pollInSameThread().until(check);
  }
}
