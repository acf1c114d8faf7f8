package dev.daflow.trainer.service;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectKind;
import dev.daflow.storage.ObjectNotFoundException;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.ObjectSummary;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Job records in the object store ({@code checkpoints/<jobId>/job.json}), shared by every replica.
 * S3 has no transactions: {@link #update} reads, changes and writes back, and keeps a cancel
 * request that another replica wrote meanwhile (the flag is only ever set while a job runs).
 */
@ApplicationScoped
public class JobRecords {
  private static final Logger LOG = Logger.getLogger(JobRecords.class);
  private static final String RECORD_NAME = "job.json";

  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectStore store;

  public JobRecords(ObjectStore store) {
    this.store = store;
  }

  /** The record of a job, empty if the job is unknown. */
  public Optional<JobRecord> find(String jobId) {
    String key = ObjectKeys.jobRecord(jobId);
    try {
      return Optional.of(read(store.getBytes(store.bucketFor(key), key), key));
    } catch (ObjectNotFoundException e) {
      if (e.bucketMissing()) {
        throw e;
      }
      return Optional.empty();
    }
  }

  /** Writes a record, replacing the job's previous one. */
  public JobRecord write(JobRecord record) {
    String key = ObjectKeys.jobRecord(record.jobId());
    store.put(store.bucketFor(key), key, toJson(record), "application/json");
    return record;
  }

  /**
   * Reads the job's record, applies {@code change} and writes the result, keeping a cancel
   * request stored meanwhile.
   *
   * @throws IllegalStateException if the job has no record
   */
  public JobRecord update(String jobId, UnaryOperator<JobRecord> change) {
    JobRecord current = find(jobId).orElseThrow(() -> new IllegalStateException(
        "job " + jobId + " has no record at " + ObjectKeys.jobRecord(jobId)));
    JobRecord next = change.apply(current);
    if (current.cancelRequested() && !next.cancelRequested() && !next.state().terminal()) {
      next = next.withCancelRequested(true, next.updatedAt());
    }
    return write(next);
  }

  /** Every job's record, the most recently created first; unreadable records are skipped. */
  public List<JobRecord> list() {
    String prefix = ObjectKind.CHECKPOINT.prefix();
    String bucket = store.bucketFor(ObjectKeys.jobRecord("x"));
    List<JobRecord> out = new ArrayList<>();
    for (ObjectSummary o : store.list(bucket, prefix)) {
      if (!o.key().endsWith("/" + RECORD_NAME)) {
        continue;
      }
      try {
        out.add(read(store.getBytes(bucket, o.key()), o.key()));
      } catch (ObjectNotFoundException e) {
        // deleted meanwhile
      } catch (RuntimeException e) {
        LOG.warnf("skipping job record %s: %s", o.key(), e.getMessage());
      }
    }
    out.sort(Comparator.comparing(JobRecord::createdAt,
        Comparator.nullsLast(Comparator.<Instant>reverseOrder())));
    return out;
  }

  static byte[] toJson(JobRecord record) {
    try {
      return JSON.writeValueAsBytes(record);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write the record of job " + record.jobId(), e);
    }
  }

  static JobRecord read(byte[] json, String origin) {
    try {
      return JSON.readValue(json, JobRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException(origin + ": not a job record: " + e.getMessage(), e);
    }
  }
}
