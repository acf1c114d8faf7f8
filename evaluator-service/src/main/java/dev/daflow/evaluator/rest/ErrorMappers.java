package dev.daflow.evaluator.rest;

import dev.daflow.storage.StorageException;
import dev.daflow.storage.StorageUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as JSON {@code {"error": ..., "detail": ...}} with their HTTP status. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  /** A model that does not exist: 404. */
  public static final class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String name) {
      super("no model named '" + name + "' (GET /models lists the models)");
    }
  }

  /** A request the service cannot read (an invalid model name): 400. */
  public static final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
      super(message);
    }
  }

  @ServerExceptionMapper
  public Response notFound(ModelNotFoundException e) {
    return json(Response.Status.NOT_FOUND, "model not found", e.getMessage());
  }

  @ServerExceptionMapper
  public Response badRequest(InvalidRequestException e) {
    return json(Response.Status.BAD_REQUEST, "invalid request", e.getMessage());
  }

  @ServerExceptionMapper
  public Response unavailable(StorageUnavailableException e) {
    return json(Response.Status.SERVICE_UNAVAILABLE, "object store unavailable", e.getMessage());
  }

  @ServerExceptionMapper
  public Response storage(StorageException e) {
    LOG.errorf("object store error: %s", e.getMessage());
    return json(Response.Status.INTERNAL_SERVER_ERROR, "object store error", e.getMessage());
  }

  private static Response json(Response.Status status, String error, String detail) {
    return Response.status(status).type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(error, detail)).build();
  }
}
