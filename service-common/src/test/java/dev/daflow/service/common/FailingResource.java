package dev.daflow.service.common;

import dev.daflow.contract.Roles;
import dev.daflow.storage.ObjectKeys;
import dev.daflow.storage.ObjectStore;
import dev.daflow.storage.StorageException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Throws what a service's code may throw, for the shared error mappers to answer. */
@Path("/fail")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class FailingResource {
  private final ObjectStore store;

  public FailingResource(ObjectStore store) {
    this.store = store;
  }

  /** A JSON body. */
  public record Body(String name) {}

  @GET
  @Path("/{kind}")
  public String fail(@PathParam("kind") String kind) throws IOException {
    switch (kind) {
      case "invalid" -> throw new IllegalArgumentException("name must not be empty");
      case "store-down" -> store.getBytes(ObjectKeys.modelRecord("nothing"));
      case "store" -> throw new StorageException("the store said no");
      case "io" -> throw new IOException("disk full");
      case "unchecked-io" -> throw new UncheckedIOException(new IOException("pipe broken"));
      case "bug" -> throw new IllegalStateException("a bug");
      default -> {
        return "no failure named " + kind;
      }
    }
    return "unreachable";
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Body echo(Body body) {
    return body;
  }
}
