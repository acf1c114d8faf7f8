package dev.daflow.inference.config;

import dev.daflow.events.EventCodec;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.storage.ObjectStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers of the clients the service shares: object store, Kafka settings and probe. */
@Singleton
public class Clients {
  /** The name this service gives itself in events ({@code ce_source}) and Kafka client ids. */
  public static final String SERVICE = "inference-service";

  @Produces
  @Singleton
  ObjectStore objectStore(InferenceConfig config) {
    return new ObjectStore(config.storage().toStorageConfig());
  }

  void closeObjectStore(@Disposes ObjectStore store) {
    store.close();
  }

  @Produces
  @Singleton
  KafkaSettings kafkaSettings(InferenceConfig config) {
    return config.kafka().toSettings(SERVICE);
  }

  @Produces
  @Singleton
  KafkaProbe kafkaProbe(KafkaSettings settings) {
    return new KafkaProbe(settings);
  }

  void closeKafkaProbe(@Disposes KafkaProbe probe) {
    probe.close();
  }

  @Produces
  @Singleton
  EventCodec eventCodec() {
    return EventCodec.forService(SERVICE);
  }
}
