package dev.daflow.e2e;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventFormatException;
import dev.daflow.events.Topics;
import dev.daflow.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Every event on every DAFlow topic since the start, read by a consumer of its own. */
final class EventLog implements AutoCloseable {
  private final List<EventEnvelope<DaflowEvent>> events = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final EventCodec codec = EventCodec.forService("e2e");
  private volatile boolean running = true;
  private volatile boolean assigned;

  EventLog(KafkaSettings kafka) {
    String bootstrapServers = kafka.bootstrapServers();
    consumer = new KafkaConsumer<>(kafka.consumer("e2e-log-" + UUID.randomUUID()));
    consumer.subscribe(Topics.all());
    thread = new Thread(this::loop, "e2e-event-log");
    thread.setDaemon(true);
    thread.start();
    Awaitility.await("the event log's partitions from " + bootstrapServers)
        .atMost(Duration.ofMinutes(1)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50)).pollInSameThread()
        .until(() -> assigned || !thread.isAlive());
    if (!assigned) {
      throw new IllegalStateException("the event log's thread ended with no partitions from "
          + bootstrapServers);
    }
  }

  private void loop() {
    try {
      while (running) {
        org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          throw e;
        } catch (org.apache.kafka.common.KafkaException e) {
          // The broker away or restarting (OutagesIT): the consumer reconnects by itself.
          System.err.println("e2e event log: poll failed, polling again: " + e);
          continue;
        }
        assigned = !consumer.assignment().isEmpty();
        for (ConsumerRecord<String, byte[]> r : records) {
          try {
            events.add(codec.decode(r));
          } catch (EventFormatException e) {
            // The refusal tests publish garbage on purpose: not an event.
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** The events of type {@code type} seen so far that match. */
  <E extends DaflowEvent> List<E> all(Class<E> type, Predicate<E> match) {
    List<E> out = new ArrayList<>();
    for (EventEnvelope<DaflowEvent> e : events) {
      if (type.isInstance(e.event()) && match.test(type.cast(e.event()))) {
        out.add(type.cast(e.event()));
      }
    }
    return out;
  }

  /**
   * The event ids ({@code ce_id}) of the events of {@code type} seen so far that match, one per
   * record (an event published again under its id is there twice).
   */
  <E extends DaflowEvent> List<String> ids(Class<E> type, Predicate<E> match) {
    return envelopes(type, match).stream().map(EventEnvelope::id).toList();
  }

  /** The envelopes (with their ids) of the events of {@code type} seen so far that match. */
  <E extends DaflowEvent> List<EventEnvelope<E>> envelopes(Class<E> type, Predicate<E> match) {
    List<EventEnvelope<E>> out = new ArrayList<>();
    for (EventEnvelope<DaflowEvent> e : events) {
      if (type.isInstance(e.event()) && match.test(type.cast(e.event()))) {
        @SuppressWarnings("unchecked")
        EventEnvelope<E> typed = (EventEnvelope<E>) (EventEnvelope<?>) e;
        out.add(typed);
      }
    }
    return out;
  }

  /** The first event of {@code type} that matches, waiting up to {@code timeout}. */
  <E extends DaflowEvent> E await(Class<E> type, Predicate<E> match, Duration timeout) {
    try {
      return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200)).pollInSameThread()
          .until(() -> all(type, match), found -> !found.isEmpty()).get(0);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no " + type.getSimpleName() + " within " + timeout
          + "; events seen: " + summary(), e);
    }
  }

  String summary() {
    StringBuilder s = new StringBuilder();
    for (EventEnvelope<DaflowEvent> e : events) {
      s.append("\n  ").append(e.type().ceType()).append(' ').append(e.key());
    }
    return s.toString();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5000);
  }
}
