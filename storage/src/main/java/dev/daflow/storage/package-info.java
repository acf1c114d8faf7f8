/**
 * Object-store access the DAFlow services share, in plain Java (no Quarkus, no CDI).
 *
 * <p>{@link dev.daflow.storage.StorageConfig} says where the store is (MinIO in docker-compose and
 * Kubernetes, S3Proxy locally and in tests: the same client code talks to both) and which bucket
 * holds each {@link dev.daflow.storage.ObjectKind}; {@link dev.daflow.storage.ObjectKeys} is the
 * key layout, in one place. {@link dev.daflow.storage.ObjectStore}, over the MinIO client, writes
 * every object with the SHA-256 of its bytes as user metadata and verifies it on every read,
 * throwing {@link dev.daflow.storage.IntegrityException} on a mismatch and never leaving a partial
 * download behind. The buckets, keys, the checksum rule and when a set of objects becomes visible
 * are documented in {@code docs/storage.md}.
 */
package dev.daflow.storage;
