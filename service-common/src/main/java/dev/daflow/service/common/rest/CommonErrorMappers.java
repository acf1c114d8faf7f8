package dev.daflow.service.common.rest;

import static dev.daflow.service.common.rest.ErrorResponses.json;

import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.service.common.ServiceException;
import dev.daflow.storage.IntegrityException;
import dev.daflow.storage.StorageException;
import dev.daflow.storage.StorageUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exceptions any service can meet, as {@link ApiError} answers. The most specific mapper of an
 * exception's class wins, so a service's own mappers (its domain exceptions) and these never
 * compete; an exception no mapper names more closely is a bug, answered 500 and logged with its
 * stack.
 *
 * <table>
 *   <caption>Statuses</caption>
 *   <tr><th>exception</th><th>status</th><th>{@code error}</th></tr>
 *   <tr><td>{@link ServiceException} (a service's domain refusals)</td>
 *       <td>its kind's</td><td>its own</td></tr>
 *   <tr><td>{@link IllegalArgumentException}</td><td>400</td><td>invalid request</td></tr>
 *   <tr><td>{@link StorageUnavailableException}</td><td>503</td>
 *       <td>object store unavailable</td></tr>
 *   <tr><td>{@link EventPublisher.PublishException}</td><td>503</td>
 *       <td>event broker unavailable</td></tr>
 *   <tr><td>{@link IntegrityException}</td><td>500</td><td>stored data is damaged</td></tr>
 *   <tr><td>other {@link StorageException}</td><td>502</td><td>object store error</td></tr>
 *   <tr><td>{@link IOException}, {@link UncheckedIOException}</td><td>500</td>
 *       <td>I/O error</td></tr>
 *   <tr><td>{@link WebApplicationException} (unknown path, wrong method...)</td>
 *       <td>its own</td><td>its message</td></tr>
 *   <tr><td>any other {@link RuntimeException}</td><td>500</td><td>internal error</td></tr>
 * </table>
 */
public class CommonErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(CommonErrorMappers.class);

  @ServerExceptionMapper
  public Response refused(ServiceException e) {
    Response answer = json(e.kind().status(), e.error(), e.getMessage());
    return e.retryAfter().map(after -> Response.fromResponse(answer)
        .header("Retry-After", after.toSeconds()).build()).orElse(answer);
  }

  @ServerExceptionMapper
  public Response invalid(IllegalArgumentException e) {
    return json(Response.Status.BAD_REQUEST, "invalid request", e.getMessage());
  }

  @ServerExceptionMapper
  public Response storageDown(StorageUnavailableException e) {
    LOG.warn("object store unavailable: {}", e.getMessage());
    return json(Response.Status.SERVICE_UNAVAILABLE, "object store unavailable", e.getMessage());
  }

  @ServerExceptionMapper
  public Response kafkaDown(EventPublisher.PublishException e) {
    LOG.warn("Kafka unavailable: {}", e.getMessage());
    return json(Response.Status.SERVICE_UNAVAILABLE, "event broker unavailable", e.getMessage());
  }

  @ServerExceptionMapper
  public Response integrity(IntegrityException e) {
    LOG.error("integrity error: {}", e.getMessage());
    return json(Response.Status.INTERNAL_SERVER_ERROR, "stored data is damaged", e.getMessage());
  }

  @ServerExceptionMapper
  public Response storage(StorageException e) {
    LOG.error("object store error: {}", e.getMessage());
    return json(Response.Status.BAD_GATEWAY, "object store error", e.getMessage());
  }

  @ServerExceptionMapper
  public Response io(IOException e) {
    LOG.error("I/O error", e);
    return json(Response.Status.INTERNAL_SERVER_ERROR, "I/O error", e.getMessage());
  }

  @ServerExceptionMapper
  public Response uncheckedIo(UncheckedIOException e) {
    return io(e.getCause());
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException e) {
    int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
    String message = e.getMessage() != null ? e.getMessage() : "HTTP " + status;
    return json(status, new ApiError(message, null));
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    return json(Response.Status.INTERNAL_SERVER_ERROR, "internal error", e.toString());
  }
}
