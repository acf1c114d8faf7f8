package dev.daflow.data.service;

import dev.daflow.service.common.ServiceException;

/**
 * A dataset of that name is stored already, from another origin: datasets are immutable, so it
 * must be deleted before another one takes its name.
 */
public class DatasetConflictException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public DatasetConflictException(String dataset, String storedOrigin, String askedOrigin) {
    super(Kind.CONFLICT, "dataset exists", "dataset '" + dataset
        + "' exists already, ingested from " + storedOrigin + ", not from " + askedOrigin
        + "; DELETE /datasets/" + dataset + " first to replace it");
  }
}
