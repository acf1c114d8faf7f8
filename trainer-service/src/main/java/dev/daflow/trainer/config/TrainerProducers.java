package dev.daflow.trainer.config;

import dev.daflow.events.EventCodec;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.storage.ObjectStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * The clients the trainer-service shares, one of each per process, closed on shutdown: the object
 * store, the Kafka publisher and probe, the datasets in the store. None of them connects when
 * created, so the service starts while Kafka or S3 are down (readiness stays DOWN meanwhile).
 */
@Singleton
public class TrainerProducers {
  /** The service name: {@code ce_source} {@code /daflow/trainer-service}, client ids. */
  public static final String SERVICE = "trainer-service";

  @Produces
  @Singleton
  KafkaSettings kafkaSettings(TrainerConfig config) {
    return config.kafka().toSettings(SERVICE);
  }

  @Produces
  @Singleton
  EventCodec codec() {
    return EventCodec.forService(SERVICE);
  }

  @Produces
  @Singleton
  ObjectStore objectStore(TrainerConfig config) {
    return new ObjectStore(config.storage().toStorageConfig());
  }

  void closeObjectStore(@Disposes ObjectStore store) {
    store.close();
  }

  @Produces
  @Singleton
  EventPublisher publisher(KafkaSettings settings, EventCodec codec) {
    return new EventPublisher(settings, codec);
  }

  void closePublisher(@Disposes EventPublisher publisher) {
    publisher.close();
  }

  @Produces
  @Singleton
  KafkaProbe kafkaProbe(KafkaSettings settings) {
    return new KafkaProbe(settings);
  }

  void closeProbe(@Disposes KafkaProbe probe) {
    probe.close();
  }

  @Produces
  @Singleton
  DatasetStore datasetStore(ObjectStore store) {
    return new DatasetStore(store);
  }

  /** This replica's name: configured, or the host name with a random suffix. */
  @Produces
  @Singleton
  @Named("replicaId")
  String replicaId(TrainerConfig config) {
    return config.trainer().replicaId().filter(s -> !s.isBlank()).orElseGet(() -> {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "trainer";
      }
      return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    });
  }
}
