package dev.daflow.trainer.service;

/** No job has this id: no record in the object store, none held by this replica. */
public final class JobNotFoundException extends RuntimeException {
  public JobNotFoundException(String jobId) {
    super("no job '" + jobId + "'");
  }
}
