package dev.daflow.inference.rest;

import dev.daflow.inference.service.InferenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every refusal as JSON {@code {"error": "..."}} with its status. */
public final class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  static Response json(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new Oip.Error(message)).build();
  }

  /** The service's own refusals; 429 says when to retry. */
  @Provider
  public static class Refusals implements ExceptionMapper<InferenceException> {
    @Override
    public Response toResponse(InferenceException e) {
      Response r = json(e.status(), e.getMessage());
      if (e instanceof InferenceException.Overloaded) {
        return Response.fromResponse(r).header("Retry-After", "1").build();
      }
      return r;
    }
  }

  /** What the HTTP layer refuses (unknown path, wrong method...), in the same shape. */
  @Provider
  public static class HttpErrors implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
      String message = e.getMessage() != null ? e.getMessage() : "HTTP " + status;
      return json(status, message);
    }
  }

  /** Anything else is a bug or an unavailable dependency: 500, logged with its stack. */
  @Provider
  public static class Unexpected implements ExceptionMapper<RuntimeException> {
    @Override
    public Response toResponse(RuntimeException e) {
      if (e instanceof WebApplicationException w) {
        return new HttpErrors().toResponse(w);
      }
      if (e instanceof InferenceException i) {
        return new Refusals().toResponse(i);
      }
      LOG.error("request failed", e);
      return json(500, "internal error: " + e);
    }
  }
}
