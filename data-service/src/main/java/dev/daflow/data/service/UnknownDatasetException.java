package dev.daflow.data.service;

/** No dataset of that name is stored (no manifest). */
public class UnknownDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownDatasetException(String dataset) {
    super("dataset '" + dataset + "' is not ingested");
  }
}
