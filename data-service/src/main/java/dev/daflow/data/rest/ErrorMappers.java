package dev.daflow.data.rest;

import static dev.daflow.service.common.rest.ErrorResponses.json;

import dev.daflow.data.service.DatasetRejectedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A rejected dataset (a checked exception of the ingestion pipeline) as a {@code {"error",
 * "detail"}} answer with the status of its kind. The service's other refusals are {@code
 * ServiceException}s and the infrastructure's failures are mapped by service-common's {@code
 * CommonErrorMappers}.
 */
public class ErrorMappers {

  @ServerExceptionMapper
  public Response rejected(DatasetRejectedException e) {
    int status = switch (e.kind()) {
      case UNREADABLE -> 422;
      case TOO_LARGE -> 413;
      case DOWNLOAD_FAILED -> 502;
      case REFUSED -> 400;
    };
    return json(status, e.kind() == DatasetRejectedException.Kind.REFUSED ? "download refused"
        : "dataset rejected", e.getMessage());
  }
}
