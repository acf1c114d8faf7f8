package dev.daflow.data.rest;

import dev.daflow.data.service.DatasetConflictException;
import dev.daflow.data.service.DatasetRejectedException;
import dev.daflow.data.service.IngestBusyException;
import dev.daflow.data.service.UnknownCatalogDatasetException;
import dev.daflow.data.service.UnknownDatasetException;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.StorageException;
import dev.daflow.storage.StorageUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the domain's exceptions into {@code {"error", "detail"}} answers with their status. */
public class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response invalid(IllegalArgumentException e) {
    return error(Response.Status.BAD_REQUEST, "invalid request", e.getMessage());
  }

  @ServerExceptionMapper
  public Response unknown(UnknownDatasetException e) {
    return error(Response.Status.NOT_FOUND, "unknown dataset", e.getMessage());
  }

  @ServerExceptionMapper
  public Response unknownCatalog(UnknownCatalogDatasetException e) {
    return error(Response.Status.NOT_FOUND, "unknown catalog dataset", e.getMessage());
  }

  @ServerExceptionMapper
  public Response conflict(DatasetConflictException e) {
    return error(Response.Status.CONFLICT, "dataset exists", e.getMessage());
  }

  @ServerExceptionMapper
  public Response rejected(DatasetRejectedException e) {
    int status = switch (e.kind()) {
      case UNREADABLE -> 422;
      case TOO_LARGE -> 413;
      case DOWNLOAD_FAILED -> 502;
    };
    return error(status, "dataset rejected", e.getMessage());
  }

  @ServerExceptionMapper
  public Response busy(IngestBusyException e) {
    return Response.status(429).type(MediaType.APPLICATION_JSON)
        .header("Retry-After", e.retryAfter().toSeconds())
        .entity(new ErrorBody("busy", e.getMessage())).build();
  }

  @ServerExceptionMapper
  public Response storageDown(StorageUnavailableException e) {
    LOG.warn("object store unavailable: {}", e.getMessage());
    return error(Response.Status.SERVICE_UNAVAILABLE, "object store unavailable", e.getMessage());
  }

  @ServerExceptionMapper
  public Response kafkaDown(EventPublisher.PublishException e) {
    LOG.warn("Kafka unavailable: {}", e.getMessage());
    return error(Response.Status.SERVICE_UNAVAILABLE, "event broker unavailable",
        e.getMessage() + "; nothing was stored");
  }

  @ServerExceptionMapper
  public Response integrity(IntegrityException e) {
    LOG.error("integrity error: {}", e.getMessage());
    return error(Response.Status.INTERNAL_SERVER_ERROR, "stored data is damaged", e.getMessage());
  }

  @ServerExceptionMapper
  public Response storage(StorageException e) {
    LOG.error("object store error: {}", e.getMessage());
    return error(Response.Status.BAD_GATEWAY, "object store error", e.getMessage());
  }

  @ServerExceptionMapper
  public Response io(IOException e) {
    LOG.error("I/O error", e);
    return error(Response.Status.INTERNAL_SERVER_ERROR, "I/O error", e.getMessage());
  }

  @ServerExceptionMapper
  public Response uncheckedIo(UncheckedIOException e) {
    return io(e.getCause());
  }

  private static Response error(Response.Status status, String error, String detail) {
    return error(status.getStatusCode(), error, detail);
  }

  private static Response error(int status, String error, String detail) {
    return Response.status(status).type(MediaType.APPLICATION_JSON)
        .entity(new ErrorBody(error, detail)).build();
  }
}
