package dev.daflow.service.common;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** An endpoint nobody gave a role: refused to every caller (default deny). */
@Path("/unannotated")
public class UnannotatedResource {
  @GET
  public String get() {
    return "should never be answered";
  }
}
