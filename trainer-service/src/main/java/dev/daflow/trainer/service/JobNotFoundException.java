package dev.daflow.trainer.service;

import dev.daflow.service.common.ServiceException;

/** No job has this id: no record in the object store, none held by this replica. */
public final class JobNotFoundException extends ServiceException {
  public JobNotFoundException(String jobId) {
    super(Kind.NOT_FOUND, "job not found", "no job '" + jobId + "'");
  }
}
