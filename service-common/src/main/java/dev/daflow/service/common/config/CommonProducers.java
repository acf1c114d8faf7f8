package dev.daflow.service.common.config;

import dev.daflow.events.EventCodec;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The clients a service shares, one of each per process, made from {@link CommonConfig}: the
 * object store, the Kafka settings, event codec, publisher and probe, the datasets in the store,
 * and the back-off of retries. Each is created on first use (a service that never publishes opens no producer) and
 * closed on shutdown. None connects when created, so a service starts while Kafka or the store
 * are down; its readiness stays DOWN meanwhile.
 */
@Singleton
public class CommonProducers {

  @Produces
  @Singleton
  ObjectStore objectStore(CommonConfig config) {
    return new ObjectStore(config.storage().toStorageConfig());
  }

  void closeObjectStore(@Disposes ObjectStore store) {
    store.close();
  }

  @Produces
  @Singleton
  DatasetStore datasetStore(ObjectStore store) {
    return new DatasetStore(store);
  }

  @Produces
  @Singleton
  KafkaSettings kafkaSettings(CommonConfig config) {
    return config.kafka().toSettings(config.serviceName());
  }

  @Produces
  @Singleton
  EventCodec eventCodec(CommonConfig config) {
    return EventCodec.forService(config.serviceName());
  }

  @Produces
  @Singleton
  EventPublisher eventPublisher(KafkaSettings settings, EventCodec codec) {
    return new EventPublisher(settings, codec);
  }

  void closeEventPublisher(@Disposes EventPublisher publisher) {
    publisher.close();
  }

  @Produces
  @Singleton
  KafkaProbe kafkaProbe(KafkaSettings settings) {
    return new KafkaProbe(settings);
  }

  void closeKafkaProbe(@Disposes KafkaProbe probe) {
    probe.close();
  }

  /** The service's back-off: {@link Backoff#DEFAULT} with {@code daflow.retry.*} applied. */
  @Produces
  @Singleton
  Backoff backoff(CommonConfig config) {
    return config.retry().toBackoff();
  }
}
