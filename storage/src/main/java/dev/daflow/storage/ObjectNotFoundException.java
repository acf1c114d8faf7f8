package dev.daflow.storage;

/**
 * The bucket or the object an operation names does not exist. {@link #key()} is {@code null} when
 * the bucket itself is missing (see {@link ObjectStore#ensureBuckets()}).
 */
public final class ObjectNotFoundException extends StorageException {
  private final String bucket;
  private final String key;

  ObjectNotFoundException(String bucket, String key, String endpoint, Throwable cause) {
    super(key == null
        ? "bucket '" + bucket + "' does not exist at " + endpoint
            + " (ObjectStore.ensureBuckets() creates the configured buckets)"
        : "no object '" + key + "' in bucket '" + bucket + "' at " + endpoint, cause);
    this.bucket = bucket;
    this.key = key;
  }

  /** The bucket asked for. */
  public String bucket() {
    return bucket;
  }

  /** The key asked for, or {@code null} when the bucket is missing. */
  public String key() {
    return key;
  }

  /** Whether the bucket itself is missing (not only the object). */
  public boolean bucketMissing() {
    return key == null;
  }
}
