package dev.daflow.storage;

/**
 * An object as {@link ObjectStore} wrote it: what {@code put} returns and {@code stat} reads.
 *
 * @param bucket its bucket
 * @param key its key
 * @param size its length in bytes
 * @param sha256 lower-case hex SHA-256 of its bytes, as recorded in its {@value
 *     ObjectStore#SHA256_METADATA} metadata (what events and manifests quote)
 * @param etag the server's entity tag, without quotes (an MD5 for single-part uploads, a digest of
 *     the parts' digests with a {@code -<parts>} suffix for multipart ones: not a content hash)
 */
public record StoredObject(String bucket, String key, long size, String sha256, String etag) {}
