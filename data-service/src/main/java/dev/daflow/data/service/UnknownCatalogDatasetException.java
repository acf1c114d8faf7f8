package dev.daflow.data.service;

import dev.daflow.service.common.ServiceException;
import java.util.List;

/** The built-in catalog has no dataset of that name; the message lists the known ones. */
public class UnknownCatalogDatasetException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public UnknownCatalogDatasetException(String name, List<String> known) {
    super(Kind.NOT_FOUND, "unknown catalog dataset", "the catalog has no dataset '" + name
        + "'; known: " + String.join(", ", known)
        + ("mnist-m".equalsIgnoreCase(name) || "mnistm".equalsIgnoreCase(name)
            ? ". MNIST-M has no canonical download: ingest its published archive with POST "
                + "/datasets (format mnist-m-archive) or POST /datasets/upload/mnist-m"
                + "?format=mnist-m-archive"
            : ""));
  }
}
