package dev.daflow.evaluator.service;

import dev.daflow.service.common.ServiceException;

/** A model version without a stored report: 404 {@code report not found}. */
public final class ReportNotFoundException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ReportNotFoundException(String name, int version) {
    super(Kind.NOT_FOUND, "report not found", "model '" + name + "' has no version " + version
        + " with a stored report (a version's report is made once it is promoted; GET /models/"
        + name + " lists its versions)");
  }
}
