package dev.daflow.storage;

/**
 * An object-store operation failed. The subclasses name the failures callers react to: {@link
 * ObjectNotFoundException} (no such bucket or object), {@link IntegrityException} (the bytes do
 * not match their SHA-256) and {@link StorageUnavailableException} (the server cannot be reached);
 * anything else the server refuses (access denied, an invalid request) is a plain {@code
 * StorageException} whose message carries the server's error code.
 *
 * <p>Unchecked, like the exceptions of the S3 SDKs: a service usually lets them reach its error
 * handler. Local file problems (an unreadable source file, a full disk) are {@link
 * java.io.UncheckedIOException}s instead, since they are not the store's.
 */
public class StorageException extends RuntimeException {

  /** A failure described by {@code message}. */
  public StorageException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
