package dev.daflow.evaluator.config;

import dev.daflow.evaluator.service.EvaluationService;
import dev.daflow.evaluator.service.EvaluationStore;
import dev.daflow.evaluator.service.EvaluatorMetrics;
import dev.daflow.evaluator.service.ModelQueries;
import dev.daflow.evaluator.service.PromotionPolicy;
import dev.daflow.evaluator.service.TestSplits;
import dev.daflow.events.EventCodec;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaProbe;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The service's shared objects, made from {@link EvaluatorConfig}: one object-store client, one
 * Kafka publisher and probe, the domain service and what it needs. The clients are closed on
 * shutdown (they own threads).
 */
@Singleton
public class EvaluatorBeans {
  /** The name in client ids and in the events' {@code ce_source}. */
  public static final String SERVICE = "evaluator-service";

  @Produces
  @Singleton
  ObjectStore objectStore(EvaluatorConfig config) {
    return new ObjectStore(config.storage().toStorageConfig());
  }

  void closeObjectStore(@Disposes ObjectStore store) {
    store.close();
  }

  @Produces
  @Singleton
  KafkaSettings kafkaSettings(EvaluatorConfig config) {
    return config.kafka().toSettings(SERVICE);
  }

  @Produces
  @Singleton
  EventCodec eventCodec() {
    return EventCodec.forService(SERVICE);
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

  @Produces
  @Singleton
  DatasetStore datasetStore(ObjectStore store) {
    return new DatasetStore(store);
  }

  @Produces
  @Singleton
  EvaluationStore evaluationStore(ObjectStore store) {
    return new EvaluationStore(store);
  }

  @Produces
  @Singleton
  TestSplits testSplits(DatasetStore datasets, EvaluatorConfig config) {
    return new TestSplits(datasets, config.evaluator().testLimit(),
        config.evaluator().testCache());
  }

  @Produces
  @Singleton
  PromotionPolicy promotionPolicy(EvaluatorConfig config) {
    return PromotionPolicy.named(config.evaluator().promotionPolicy());
  }

  @Produces
  @Singleton
  EvaluatorMetrics evaluatorMetrics(MeterRegistry registry) {
    return new EvaluatorMetrics(registry);
  }

  @Produces
  @Singleton
  EvaluationService evaluationService(EvaluationStore store, TestSplits splits,
      PromotionPolicy policy, EventPublisher publisher, EvaluatorMetrics metrics) {
    return new EvaluationService(store, splits, policy, publisher::publish, metrics,
        Clock.systemUTC(), EvaluationService.Retries.DEFAULT);
  }

  @Produces
  @Singleton
  ModelQueries modelQueries(EvaluationStore store) {
    return new ModelQueries(store);
  }
}
