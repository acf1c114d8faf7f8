package dev.daflow.evaluator.service;

import dev.daflow.service.common.ServiceException;

/** A model that does not exist: 404 {@code model not found}. */
public final class ModelNotFoundException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ModelNotFoundException(String name) {
    super(Kind.NOT_FOUND, "model not found",
        "no model named '" + name + "' (GET /models lists the models)");
  }
}
