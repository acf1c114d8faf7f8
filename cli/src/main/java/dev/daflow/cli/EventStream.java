package dev.daflow.cli;

import dev.daflow.events.DaflowEvent;
import dev.daflow.events.EventCodec;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.EventFormatException;
import dev.daflow.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * DAFlow events read from the start of some topics, for a person watching: a consumer in a
 * fresh consumer group of its own (from the earliest offset, never committing), so it sees every
 * event still on the topics and takes nothing away from the services' groups. Records that are
 * not valid DAFlow events are skipped. Not thread-safe: one thread polls.
 */
final class EventStream implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final EventCodec codec = EventCodec.forService("cli");
  private final String bootstrapServers;

  EventStream(KafkaSettings kafka, List<String> topics) {
    this.bootstrapServers = kafka.bootstrapServers();
    this.consumer = new KafkaConsumer<>(kafka.consumer("daflow-cli-" + UUID.randomUUID()));
    consumer.subscribe(topics);
  }

  /** The events of one poll, in the order of each partition. */
  List<EventEnvelope<DaflowEvent>> poll(Duration timeout) {
    List<EventEnvelope<DaflowEvent>> events = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      try {
        events.add(codec.decode(r));
      } catch (EventFormatException e) {
        // Not a DAFlow event (the services answer those with refusals): nothing to show.
      }
    }
    return events;
  }

  /**
   * Whether this stream has read every record that was on its partitions when asked: false until
   * the partitions are assigned.
   */
  boolean caughtUp() {
    Set<TopicPartition> assigned = consumer.assignment();
    if (assigned.isEmpty()) {
      return false;
    }
    try {
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
      for (TopicPartition tp : assigned) {
        if (consumer.position(tp, Duration.ofSeconds(10)) < end.getOrDefault(tp, 0L)) {
          return false;
        }
      }
      return true;
    } catch (TimeoutException e) {
      return false; // the broker is slow or away: not known to be caught up
    }
  }

  /** Whether the consumer has been given its partitions (it reached the broker). */
  boolean assigned() {
    return !consumer.assignment().isEmpty();
  }

  /** The broker's address, for messages. */
  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Interrupts a {@link #poll} in progress from another thread (it throws WakeupException). */
  void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
