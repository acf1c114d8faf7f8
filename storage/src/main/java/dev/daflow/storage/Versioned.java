package dev.daflow.storage;

import java.util.Objects;

/**
 * A document as read from the store with the version it had: its ETag, which a conditional write
 * ({@link JsonDocuments#replace}) names to replace exactly this version.
 *
 * @param value the document
 * @param etag the object's entity tag, without quotes
 * @param <T> the document's type
 */
public record Versioned<T>(T value, String etag) {
  public Versioned {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(etag, "etag");
  }
}
