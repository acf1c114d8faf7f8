package dev.daflow.storage;

import java.time.Instant;

/**
 * One entry of a listing. S3 listings carry no user metadata, so no SHA-256 here: {@link
 * ObjectStore#stat} an entry for it.
 *
 * @param bucket its bucket
 * @param key its key
 * @param size its length in bytes
 * @param lastModified when it was last written, or {@code null} if the server did not say
 */
public record ObjectSummary(String bucket, String key, long size, Instant lastModified) {}
