package dev.daflow.inference.service;

import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.storage.ObjectStore;
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
  InferenceService inferenceService(InferenceConfig config, ModelRegistry registry,
      Admission admission) {
    int pixels = config.inference().maxPicturePixels();
    return new InferenceService(registry, admission,
        new TensorDecoder(config.inference().maxBatch(), pixels), new PictureDecoder(pixels));
  }

  @Produces
  @Singleton
  StoredModels storedModels(ObjectStore store, ModelLoader loader) {
    return new StoredModels(store, loader);
  }
}
