package dev.daflow.storage;

/**
 * An object's bytes do not match the SHA-256 they were written with, or the object carries no
 * usable SHA-256 ({@value ObjectStore#SHA256_METADATA} metadata), or it is not the object the
 * caller expected (the SHA-256 of an event or a manifest). Readers throw it after the last byte,
 * before anything is handed over: a download that fails so leaves no file behind.
 */
public final class IntegrityException extends StorageException {
  private final String bucket;
  private final String key;
  private final String expected;
  private final String actual;

  IntegrityException(String bucket, String key, String problem, String expected, String actual) {
    super("integrity check failed for '" + key + "' in bucket '" + bucket + "': " + problem
        + " (expected sha256 " + orNone(expected) + ", actual " + orNone(actual) + ")");
    this.bucket = bucket;
    this.key = key;
    this.expected = expected;
    this.actual = actual;
  }

  /** The object's bucket. */
  public String bucket() {
    return bucket;
  }

  /** The object's key. */
  public String key() {
    return key;
  }

  /** The SHA-256 the object should have (hex), or {@code null} when it has none recorded. */
  public String expected() {
    return expected;
  }

  /** The SHA-256 of what was read or recorded (hex), or {@code null} when not computed. */
  public String actual() {
    return actual;
  }

  private static String orNone(String s) {
    return s == null ? "none" : s;
  }
}
