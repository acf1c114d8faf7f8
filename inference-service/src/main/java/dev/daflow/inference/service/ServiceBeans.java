package dev.daflow.inference.service;

import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.ml.model.Model;
import dev.daflow.storage.ObjectStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers of the domain objects that take their settings from {@link InferenceConfig}. */
@Singleton
public class ServiceBeans {

  @Produces
  @Singleton
  Admission admission(InferenceConfig config) {
    return new Admission(config.inference().maxConcurrent(), config.inference().queueTimeout());
  }

  @Produces
  @Singleton
  DynamicBatcher<Model> batcher(InferenceConfig config, InferenceMetrics metrics) {
    InferenceConfig.Batching batching = config.inference().batching();
    return new DynamicBatcher<>(Model::probabilities, batching.enabled(), batching.maxDelay(),
        batching.maxBatch(), metrics);
  }

  void closeBatcher(@Disposes DynamicBatcher<Model> batcher) {
    batcher.close();
  }

  @Produces
  @Singleton
  InferenceService inferenceService(InferenceConfig config, ModelRegistry registry,
      Admission admission, DynamicBatcher<Model> batcher) {
    int pixels = config.inference().maxPicturePixels();
    return new InferenceService(registry, admission, batcher,
        new TensorDecoder(config.inference().maxBatch(), pixels), new PictureDecoder(pixels));
  }

  @Produces
  @Singleton
  StoredModels storedModels(ObjectStore store, ModelLoader loader) {
    return new StoredModels(store, loader);
  }
}
