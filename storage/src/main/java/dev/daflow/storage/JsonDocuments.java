package dev.daflow.storage;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.daflow.storage.ObjectStore.Precondition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Small JSON documents in the object store (job records, model records) read and written with
 * conditions, so that two writers of one document never lose each other's change: {@link
 * #read} gives a document with its ETag, {@link #create} writes only where nothing is ({@code
 * If-None-Match: *}), {@link #replace} only over the version read ({@code If-Match}), and {@link
 * #update} reads, applies a change and writes it back conditionally, again and again until no
 * other writer came in between. A lost race is a {@link WriteConflictException}.
 *
 * <p>The server must evaluate the condition atomically with the write: AWS S3 and MinIO do;
 * S3Proxy does for {@code If-None-Match: *} only, so the local and test servers wrap it (see
 * docs/storage.md, "Conditional writes").
 *
 * <p>Documents are written with {@link ObjectStore}'s SHA-256 like any object and verified on
 * every read. Thread-safe.
 */
public final class JsonDocuments {
  /** How often {@link #update} tries before it gives up. */
  public static final int MAX_ATTEMPTS = 20;

  /** Content type of every document. */
  public static final String JSON_TYPE = "application/json";

  private static final ObjectMapper SHARED = newMapper();

  private final ObjectStore store;
  private final ObjectMapper json;

  /** Documents in {@code store}, (de)serialised by {@code json}. */
  public JsonDocuments(ObjectStore store, ObjectMapper json) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** Documents in {@code store}, (de)serialised by {@link #sharedMapper()}. */
  public JsonDocuments(ObjectStore store) {
    this(store, SHARED);
  }

  /**
   * A mapper for documents: indented output, ISO-8601 dates, unknown properties ignored (a
   * document written by a newer version stays readable), the modules on the class path (e.g.
   * {@code java.time}) registered.
   */
  public static ObjectMapper newMapper() {
    return new ObjectMapper()
        .findAndRegisterModules()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** The one {@link #newMapper()} that documents share unless a caller gives its own. */
  public static ObjectMapper sharedMapper() {
    return SHARED;
  }

  /** The store the documents are in. */
  public ObjectStore store() {
    return store;
  }

  /**
   * The document at {@code key} with its ETag; empty if there is none.
   *
   * @throws ObjectNotFoundException if the bucket does not exist
   * @throws StorageException if the object is not a {@code type} in JSON
   */
  public <T> Optional<Versioned<T>> read(String key, Class<T> type) {
    ObjectStore.Content content;
    try {
      content = store.read(key, null);
    } catch (ObjectNotFoundException e) {
      if (e.bucketMissing()) {
        throw e;
      }
      return Optional.empty();
    }
    return Optional.of(new Versioned<>(parse(key, content.bytes(), type),
        content.object().etag()));
  }

  /**
   * Writes {@code value} at {@code key} unconditionally, replacing any document there: for
   * documents whose every writer writes the same facts (an evaluation of one bundle), never for
   * ones that writers change ({@link #update}).
   *
   * @return the value with the ETag it was stored with
   */
  public <T> Versioned<T> put(String key, T value) {
    return write(key, value, null);
  }

  /**
   * Writes {@code value} at {@code key} only if no object is there.
   *
   * @return the value with the ETag it was stored with
   * @throws WriteConflictException if an object is there (or another write of it was in progress)
   */
  public <T> Versioned<T> create(String key, T value) {
    return write(key, value, Precondition.absent());
  }

  /**
   * Writes {@code value} at {@code key} only over the version with ETag {@code etag} (from
   * {@link #read}).
   *
   * @return the value with the ETag it was stored with
   * @throws WriteConflictException if the object is another version now, or gone
   */
  public <T> Versioned<T> replace(String key, T value, String etag) {
    Objects.requireNonNull(etag, "etag");
    return write(key, value, Precondition.matching(etag));
  }

  /**
   * Reads the document at {@code key}, applies {@code change} and writes the result over the
   * version read ({@link #create} if there was none, {@link #replace} otherwise); when another
   * writer came in between, reads again and re-applies the change, up to {@value #MAX_ATTEMPTS}
   * tries a few milliseconds apart (randomised, so that racing writers spread out).
   *
   * <p>{@code change} gets the current document (empty if there is none) and returns the document
   * to store; returning {@code null}, or a value equal to the current one, writes nothing. It may
   * run several times, each on a fresh read, so it must depend only on its argument (and on state
   * it resets on each call); an exception it throws ends the update and is rethrown as is.
   *
   * @return the document as stored once the change is in; empty if there is none and the change
   *     wrote none
   * @throws WriteConflictException if every try lost a race
   * @throws IntegrityException if the last try read bytes that do not match their SHA-256 (a
   *     read torn by a racing writer is read again, up to the same number of tries)
   */
  public <T> Optional<T> update(String key, Class<T> type, Function<Optional<T>, T> change) {
    StorageException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Read, change, and write over exactly what was read.
      Optional<Versioned<T>> current;
      try {
        current = read(key, type);
      } catch (IntegrityException e) {
        // A read torn by a racing writer: an S3 server that replaces an object's bytes and its
        // metadata in two moves (the local test server does) can answer one GET with the new
        // bytes and the old SHA-256. Read again; a corrupt object fails every try.
        last = e;
        pause(attempt);
        continue;
      }
      Optional<T> currentValue = current.map(Versioned::value);
      T next = change.apply(currentValue);
      if (next == null || currentValue.isPresent() && next.equals(currentValue.get())) {
        return currentValue;
      }
      try {
        if (current.isEmpty()) {
          create(key, next);
        } else {
          replace(key, next, current.get().etag());
        }
        return Optional.of(next);
      } catch (WriteConflictException e) {
        // Another writer came in between: wait a little, then start over from its version.
        last = e;
        pause(attempt);
      }
    }
    if (last instanceof IntegrityException e) {
      throw e;
    }
    throw new WriteConflictException(key, "updating '" + key + "': another writer won each of "
        + MAX_ATTEMPTS + " tries", last);
  }

  private <T> Versioned<T> write(String key, T value, Precondition condition) {
    Objects.requireNonNull(value, "value");
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName()
          + " as JSON for '" + key + "': " + e.getOriginalMessage(), e);
    }
    StoredObject stored = store.put(key, bytes, JSON_TYPE, condition);
    return new Versioned<>(value, stored.etag());
  }

  private <T> T parse(String key, byte[] bytes, Class<T> type) {
    try {
      return json.readValue(bytes, type);
    } catch (JacksonException e) {
      throw new StorageException("'" + key + "' is not a valid " + type.getSimpleName()
          + " document: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse '" + key + "'", e);
    }
  }

  /** 5-15 ms after the first lost race, growing to 40-120 ms. */
  private static void pause(int attempt) {
    long base = 5L * Math.min(attempt, 8);
    try {
      Thread.sleep(base + ThreadLocalRandom.current().nextLong(2 * base + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while retrying a conditional write", e);
    }
  }
}
