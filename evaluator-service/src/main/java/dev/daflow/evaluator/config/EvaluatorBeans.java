package dev.daflow.evaluator.config;

import dev.daflow.evaluator.service.EvaluationService;
import dev.daflow.evaluator.service.EvaluationStore;
import dev.daflow.evaluator.service.EvaluatorMetrics;
import dev.daflow.evaluator.service.ManualPromotions;
import dev.daflow.evaluator.service.ModelQueries;
import dev.daflow.evaluator.service.ModelReports;
import dev.daflow.evaluator.service.PromotionPolicy;
import dev.daflow.evaluator.service.TestSplits;
import dev.daflow.evaluator.service.ValidationPictures;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The evaluator's domain objects, made from {@link EvaluatorConfig}: the domain service and what
 * it needs. The clients (object store, datasets in it, Kafka publisher) come from
 * service-common's {@code CommonProducers}.
 */
@Singleton
public class EvaluatorBeans {

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
  ValidationPictures validationPictures(DatasetStore datasets, EvaluatorConfig config) {
    return new ValidationPictures(datasets, config.evaluator().validatorPictures(), 2);
  }

  @Produces
  @Singleton
  PromotionPolicy promotionPolicy(EvaluatorConfig config) {
    return PromotionPolicy.named(config.evaluator().promotionPolicy());
  }

  @Produces
  @Singleton
  EvaluationService evaluationService(EvaluationStore store, TestSplits splits,
      ValidationPictures validation, PromotionPolicy policy, EventPublisher publisher,
      EvaluatorMetrics metrics, Backoff backoff) {
    return new EvaluationService(store, splits, validation, policy, publisher::publish, metrics,
        Clock.systemUTC(), EvaluationService.Retries.waitingOut(backoff));
  }

  @Produces
  @Singleton
  ModelReports modelReports(EvaluationStore evaluations, ObjectStore store, TestSplits splits,
      EvaluatorConfig config) {
    return new ModelReports(evaluations, store, splits, Clock.systemUTC(),
        config.evaluator().reportSample());
  }

  @Produces
  @Singleton
  ManualPromotions manualPromotions(EvaluationStore store, EventPublisher publisher,
      EvaluatorMetrics metrics) {
    return new ManualPromotions(store, publisher::publish, metrics, Clock.systemUTC());
  }

  @Produces
  @Singleton
  ModelQueries modelQueries(EvaluationStore store) {
    return new ModelQueries(store);
  }
}
