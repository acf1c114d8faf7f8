/**
 * Object-store access the DAFlow services share, in plain Java (no Quarkus, no CDI).
 *
 * <p>{@link dev.daflow.storage.StorageConfig} says where the store is (MinIO in docker-compose and
 * Kubernetes, S3Proxy locally and in tests: the same client code talks to both) and which bucket
 * holds each {@link dev.daflow.storage.ObjectKind}; {@link dev.daflow.storage.ObjectKeys} is the
 * key layout, in one place. {@link dev.daflow.storage.ObjectStore}, over the MinIO client, writes
 * every object with the SHA-256 of its bytes as user metadata and verifies it on every read,
 * throwing {@link dev.daflow.storage.IntegrityException} on a mismatch and never leaving a partial
 * download behind. Objects are addressed by key alone: the bucket is the one of the key's kind.
 * {@link dev.daflow.storage.JsonDocuments} keeps the records several writers change (job and model
 * records) with conditional writes and a retry-on-conflict update. The buckets, keys, the
 * checksum rule, when a set of objects becomes visible and what each server does with conditional
 * writes are documented in {@code docs/storage.md}.
 */
package dev.daflow.storage;
