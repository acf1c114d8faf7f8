package dev.daflow.trainer.service;

import dev.daflow.events.TrainingRequested;
import dev.daflow.ml.train.CancellationToken;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * A job this replica holds: queued for a worker or training. Its {@link #done} completes when the
 * worker is finished with it, whatever the outcome; only then is the request's offset committed.
 */
public final class RunningJob {

  /** Why a job is being stopped. */
  public enum Stop {
    /** Someone asked to cancel it: it ends with {@code training.cancelled}. */
    USER,
    /**
     * Its request's partition went to another replica (or this one shuts down): it stops without
     * a terminal event, and whoever gets the request next resumes it from its checkpoint.
     */
    HANDOVER
  }

  private final String jobId;
  private final TrainingRequested request;
  private final String requestEventId;
  private final TopicPartition partition;
  private final String principal;
  private final Instant receivedAt;
  private final CancellationToken token = new CancellationToken();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final LiveProgress live = new LiveProgress();
  private volatile Stop stop;
  private volatile JobState state = JobState.QUEUED;
  private volatile String network;

  RunningJob(TrainingRequested request, String requestEventId, TopicPartition partition,
      String principal, Instant receivedAt) {
    this.jobId = request.jobId();
    this.request = request;
    this.requestEventId = requestEventId;
    this.partition = partition;
    this.principal = principal;
    this.receivedAt = receivedAt;
  }

  public String jobId() {
    return jobId;
  }

  public TrainingRequested request() {
    return request;
  }

  public String requestEventId() {
    return requestEventId;
  }

  /** The partition the request came from; {@code null} when not from Kafka. */
  public TopicPartition partition() {
    return partition;
  }

  /**
   * Who asked for the job ({@code dev.daflow.events.Principals}), carried by every event the job
   * publishes; {@code null} if not known.
   */
  public String principal() {
    return principal;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  public CancellationToken token() {
    return token;
  }

  public CompletableFuture<Void> done() {
    return done;
  }

  public LiveProgress live() {
    return live;
  }

  public JobState state() {
    return state;
  }

  void state(JobState s) {
    state = s;
  }

  /** The resolved network, once the request is validated. */
  public String network() {
    return network;
  }

  void network(String n) {
    network = n;
  }

  /** Why it is being stopped, or {@code null} while it is not. */
  public Stop stopReason() {
    return stop;
  }

  /** Asks the job to stop at its next step; the first reason given wins. */
  public synchronized void stop(Stop why) {
    if (stop == null) {
      stop = why;
    }
    token.cancel();
  }

  public boolean stopping() {
    return stop != null;
  }
}
