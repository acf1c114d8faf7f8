package dev.daflow.data.service;

import dev.daflow.service.common.ServiceException;

/** No dataset of that name is stored (no manifest). */
public class UnknownDatasetException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public UnknownDatasetException(String dataset) {
    super(Kind.NOT_FOUND, "unknown dataset", "dataset '" + dataset + "' is not ingested");
  }
}
