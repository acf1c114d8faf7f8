package dev.daflow.inference.service;

import dev.daflow.ml.model.Model;
import java.time.Instant;
import java.util.Objects;

/**
 * A model version in memory, ready to serve. Immutable: a request keeps the instance it started
 * with even when a newer version is swapped in meanwhile.
 *
 * @param name the model name
 * @param version the promoted version (1, 2, ...)
 * @param jobId the job that trained it
 * @param bundleKey the object-store key it was read from
 * @param sha256 the bundle's verified SHA-256
 * @param model the classifier
 * @param loadedAt when this replica loaded it
 */
public record LoadedModel(String name, int version, String jobId, String bundleKey, String sha256,
    Model model, Instant loadedAt) {

  public LoadedModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
  }
}
