package dev.daflow.trainer.rest;

import dev.daflow.platform.kafka.EventPublisher.PublishException;
import dev.daflow.storage.StorageUnavailableException;
import dev.daflow.trainer.service.JobFinishedException;
import dev.daflow.trainer.service.JobNotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Domain and infrastructure exceptions as JSON errors with the right status. */
public class ErrorMappers {

  @ServerExceptionMapper
  public Response notFound(JobNotFoundException e) {
    return error(Response.Status.NOT_FOUND, "job not found", e.getMessage());
  }

  @ServerExceptionMapper
  public Response finished(JobFinishedException e) {
    return error(Response.Status.CONFLICT, "job already finished", e.getMessage());
  }

  @ServerExceptionMapper
  public Response storageDown(StorageUnavailableException e) {
    return error(Response.Status.SERVICE_UNAVAILABLE, "object store unavailable", e.getMessage());
  }

  @ServerExceptionMapper
  public Response kafkaDown(PublishException e) {
    return error(Response.Status.SERVICE_UNAVAILABLE, "kafka unavailable", e.getMessage());
  }

  @ServerExceptionMapper
  public Response badArgument(IllegalArgumentException e) {
    return error(Response.Status.BAD_REQUEST, "bad request", e.getMessage());
  }

  static Response error(Response.Status status, String error, String detail) {
    return Response.status(status).type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(error, detail)).build();
  }
}
