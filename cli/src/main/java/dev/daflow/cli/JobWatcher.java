package dev.daflow.cli;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.Topics;
import dev.daflow.platform.kafka.KafkaSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follows one training job on Kafka to its end ({@link JobProgress} shows it): reads the training
 * and model topics from their start with a consumer group of its own, so a job that already ended
 * is replayed, and a running one is followed live. Events are shown in the order of their
 * CloudEvents time, as the two topics are read side by side.
 */
final class JobWatcher {
  /** How long {@code watch} waits for the promotion after the completion, by default. */
  static final Duration DEFAULT_PROMOTION_WAIT = Duration.ofMinutes(5);

  private static final Duration CONNECT_NOTICE = Duration.ofSeconds(20);
  private static final Duration HOLD = Duration.ofSeconds(2);

  private JobWatcher() {}

  /**
   * Follows {@code jobId} until it ends or {@code timeout} passes.
   *
   * @param timeout null: no limit
   */
  static JobProgress.Outcome follow(KafkaSettings kafka, String jobId, Duration timeout,
      Duration promotionWait, PrintWriter out, PrintWriter err, boolean console) {
    JobProgress progress = new JobProgress(jobId, out, err, console, promotionWait);
    Instant start = Instant.now();
    boolean toldWaiting = false;
    boolean toldConnecting = false;
    try (EventStream events = new EventStream(kafka,
        List.of(Topics.TRAINING, Topics.MODELS))) {
      List<EventEnvelope<DaflowEvent>> pending = new ArrayList<>();
      // A fact published again under its id (a resumed trainer's last checkpoint, an evaluation
      // found done) is shown once.
      Set<String> shown = new HashSet<>();
      Instant pendingSince = null;
      while (true) {
        List<EventEnvelope<DaflowEvent>> polled = events.poll(Duration.ofMillis(500));
        if (!polled.isEmpty() && pending.isEmpty()) {
          pendingSince = Instant.now();
        }
        pending.addAll(polled);
        boolean caughtUp = events.caughtUp();
        // The training and model topics are read side by side, each in its own order: hold what
        // was read until caught up (or for at most 2 s), then show it in the order it happened.
        if (!pending.isEmpty() && (caughtUp
            || Duration.between(pendingSince, Instant.now()).compareTo(HOLD) > 0)) {
          pending.sort(Comparator.comparing(EventEnvelope::time,
              Comparator.nullsFirst(Comparator.naturalOrder())));
          for (EventEnvelope<DaflowEvent> e : pending) {
            if (e.id() == null || shown.add(e.id())) {
              progress.on(e.event(), Instant.now());
            }
          }
          pending.clear();
        }
        Optional<JobProgress.Outcome> outcome = progress.outcome(caughtUp, Instant.now());
        if (outcome.isPresent()) {
          return outcome.get();
        }
        if (caughtUp && !progress.seenAny() && !toldWaiting) {
          out.println("no event of job " + jobId + " yet on " + kafka.bootstrapServers()
              + ": waiting for a trainer to take it (Ctrl-C stops watching, not the job)");
          out.flush();
          toldWaiting = true;
        }
        if (!toldConnecting && !events.assigned()
            && Duration.between(start, Instant.now()).compareTo(CONNECT_NOTICE) > 0) {
          err.println("daflow: still connecting to Kafka at " + kafka.bootstrapServers() + "...");
          err.flush();
          toldConnecting = true;
        }
        if (timeout != null && Duration.between(start, Instant.now()).compareTo(timeout) > 0) {
          return progress.timedOut(timeout);
        }
      }
    } finally {
      progress.close();
    }
  }
}
