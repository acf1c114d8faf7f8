package dev.daflow.storage;

/**
 * What an object is, which decides its bucket ({@link StorageConfig.Buckets#forKind}) and the
 * first segment of its key ({@link ObjectKeys}).
 */
public enum ObjectKind {
  /** Dataset manifests and shards, written by data-service: {@code datasets/...}. */
  DATASET("datasets/"),
  /** Per-epoch training checkpoints, written by trainer-service: {@code checkpoints/...}. */
  CHECKPOINT("checkpoints/"),
  /** Model bundles, written by trainer-service, served by inference-service: {@code bundles/}. */
  BUNDLE("bundles/");

  private final String prefix;

  ObjectKind(String prefix) {
    this.prefix = prefix;
  }

  /** The key prefix of this kind, with its trailing slash, e.g. {@code datasets/}. */
  public String prefix() {
    return prefix;
  }
}
