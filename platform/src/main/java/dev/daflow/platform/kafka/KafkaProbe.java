package dev.daflow.platform.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Answers "is the broker reachable?" for readiness checks: asks the cluster for its id with a
 * short timeout, and remembers the answer for a few seconds so frequent probes stay cheap.
 * Thread-safe.
 */
public final class KafkaProbe implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final Duration CACHE = Duration.ofSeconds(5);

  private final Admin admin;
  private final String bootstrapServers;
  private Instant checkedAt = Instant.EPOCH;
  private Result last;

  /**
   * @param reachable whether the broker answered
   * @param detail the cluster id, or why it did not answer
   */
  public record Result(boolean reachable, String detail) {}

  public KafkaProbe(KafkaSettings settings) {
    var props = settings.admin();
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    this.admin = Admin.create(props);
    this.bootstrapServers = settings.bootstrapServers();
  }

  /** The broker's state, at most {@code 5 s} old. */
  public synchronized Result check() {
    if (last != null && Instant.now().isBefore(checkedAt.plus(CACHE))) {
      return last;
    }
    try {
      String id = admin.describeCluster(new DescribeClusterOptions()
              .timeoutMs((int) TIMEOUT.toMillis()))
          .clusterId().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
      last = new Result(true, "cluster " + id + " at " + bootstrapServers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      last = new Result(false, "interrupted");
    } catch (Exception e) {
      last = new Result(false, "Kafka at " + bootstrapServers + " does not answer: "
          + (e.getCause() != null ? e.getCause() : e));
    }
    checkedAt = Instant.now();
    return last;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
