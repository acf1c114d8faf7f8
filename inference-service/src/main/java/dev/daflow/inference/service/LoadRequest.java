package dev.daflow.inference.service;

import dev.daflow.events.ModelPromoted;

/**
 * A model version to load: from a {@code model.promoted} event or a model record in the store.
 *
 * @param name the model name
 * @param version its promoted version
 * @param jobId the job that trained it
 * @param bundleKey object-store key of the bundle
 * @param sha256 the bundle's expected SHA-256
 * @param origin where the request came from, for logs ({@code model.promoted}, {@code
 *     bundles/x.model.json})
 */
public record LoadRequest(String name, int version, String jobId, String bundleKey, String sha256,
    String origin) {

  /** The version a promotion names. */
  public static LoadRequest of(ModelPromoted p) {
    return new LoadRequest(p.modelName(), p.version(), p.jobId(), p.bundleKey(), p.sha256(),
        "model.promoted");
  }
}
