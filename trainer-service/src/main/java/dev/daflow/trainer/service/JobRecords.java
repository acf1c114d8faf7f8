package dev.daflow.trainer.service;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.daflow.storage.JsonDocuments;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectKind;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.Versioned;
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
 * Every write is conditional ({@link JsonDocuments}): a change is applied to the record as stored
 * and written over exactly that version, again on a fresh read when another writer (a cancel
 * request, an epoch's update, another replica) came in between, so no change is lost. A cancel
 * request stored meanwhile is kept by every write while the job runs (the flag is only ever set
 * while a job runs).
 */
@ApplicationScoped
public class JobRecords {
  private static final Logger LOG = Logger.getLogger(JobRecords.class);

  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final JsonDocuments documents;

  public JobRecords(ObjectStore store) {
    this.documents = new JsonDocuments(store, JSON);
  }

  /** The record of a job, empty if the job is unknown. */
  public Optional<JobRecord> find(String jobId) {
    return documents.read(ObjectKeys.jobRecord(jobId), JobRecord.class).map(Versioned::value);
  }

  /**
   * Writes a record over the job's previous one (a new run's), keeping a cancel request stored
   * meanwhile while both are running.
   *
   * @return the record as written
   */
  public JobRecord write(JobRecord record) {
    return documents.update(ObjectKeys.jobRecord(record.jobId()), JobRecord.class,
        stored -> keepCancelRequest(stored, record)).orElseThrow();
  }

  /**
   * Applies {@code change} to the job's record as stored and writes the result over that version,
   * keeping a cancel request stored meanwhile; re-applied on a fresh read if another writer came
   * in between ({@link JsonDocuments#update}), so {@code change} may run more than once.
   *
   * @return the record as written
   * @throws IllegalStateException if the job has no record
   */
  public JobRecord update(String jobId, UnaryOperator<JobRecord> change) {
    return documents.update(ObjectKeys.jobRecord(jobId), JobRecord.class, stored -> {
      JobRecord current = stored.orElseThrow(() -> new IllegalStateException(
          "job " + jobId + " has no record at " + ObjectKeys.jobRecord(jobId)));
      return keepCancelRequest(stored, change.apply(current));
    }).orElseThrow();
  }

  /**
   * The merge rule: {@code next} with the cancel request of the stored record when the stored
   * record has one, both are running, and {@code next} would drop it.
   */
  static JobRecord keepCancelRequest(Optional<JobRecord> stored, JobRecord next) {
    boolean pending = stored.map(r -> r.cancelRequested() && !r.state().terminal())
        .orElse(false);
    return pending && !next.cancelRequested() && !next.state().terminal()
        ? next.withCancelRequested(true, next.updatedAt()) : next;
  }

  /**
   * Every job's record, the most recently created first; unreadable records are skipped. One
   * listing of the job folders under {@code checkpoints/} (their checkpoints, bundles and
   * evaluations are not listed), then one read per job.
   */
  public List<JobRecord> list() {
    String prefix = ObjectKind.CHECKPOINT.prefix();
    List<JobRecord> out = new ArrayList<>();
    for (String folder : documents.store().listFolders(prefix)) {
      String jobId = folder.substring(prefix.length(), folder.length() - 1);
      try {
        find(jobId).ifPresent(out::add); // absent: a folder without a record, or deleted
      } catch (RuntimeException e) {
        LOG.warnf("skipping the job record of %s: %s", folder, e.getMessage());
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
