package dev.daflow.events;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a broker does to a record, without a broker: the producer's serializers turn key and value
 * into bytes, the headers are copied byte for byte, and the consumer's deserializers read them
 * into the {@link ConsumerRecord} a poll would return.
 */
final class Transport {
  static final int PARTITION = 2;
  static final long OFFSET = 17;

  private Transport() {}

  static ConsumerRecord<String, byte[]> deliver(ProducerRecord<String, byte[]> sent) {
    try (StringSerializer ks = new StringSerializer();
        ByteArraySerializer vs = new ByteArraySerializer();
        StringDeserializer kd = new StringDeserializer();
        ByteArrayDeserializer vd = new ByteArrayDeserializer()) {
      byte[] key = ks.serialize(sent.topic(), sent.headers(), sent.key());
      byte[] value = vs.serialize(sent.topic(), sent.headers(), sent.value());
      Headers headers = copy(sent.headers());
      return new ConsumerRecord<>(sent.topic(), PARTITION, OFFSET, 1_700_000_000_000L,
          TimestampType.CREATE_TIME, key == null ? -1 : key.length,
          value == null ? -1 : value.length, kd.deserialize(sent.topic(), headers, key),
          vd.deserialize(sent.topic(), headers, value), headers, Optional.empty());
    }
  }

  /** A consumed record with these parts, for hand-made (broken) records. */
  static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value,
      Headers headers) {
    return new ConsumerRecord<>(topic, PARTITION, OFFSET, 1_700_000_000_000L,
        TimestampType.CREATE_TIME, -1, value == null ? -1 : value.length, key, value, headers,
        Optional.empty());
  }

  static Headers copy(Headers headers) {
    RecordHeaders copy = new RecordHeaders();
    for (Header h : headers) {
      copy.add(h.key(), h.value() == null ? null : h.value().clone());
    }
    return copy;
  }
}
