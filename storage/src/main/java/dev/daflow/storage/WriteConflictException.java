package dev.daflow.storage;

/**
 * A conditional write lost a race: the object changed since it was read ({@code If-Match}, HTTP
 * 412), exists already ({@code If-None-Match: *}, 412), was deleted since it was read (404 on an
 * {@code If-Match} put), or another conditional write of it was in progress (409, AWS S3's {@code
 * ConditionalRequestConflict}). Nothing was written; read the object again and retry, as {@link
 * JsonDocuments#update} does.
 */
public final class WriteConflictException extends StorageException {
  private final String key;

  /** A lost race on {@code key}, described by {@code message}. */
  public WriteConflictException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The key written. */
  public String key() {
    return key;
  }
}
