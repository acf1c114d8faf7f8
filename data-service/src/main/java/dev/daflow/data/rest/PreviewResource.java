package dev.daflow.data.rest;

import dev.daflow.contract.Roles;
import dev.daflow.data.service.DatasetPreviews;
import dev.daflow.data.service.PreviewPage;
import dev.daflow.service.common.rest.ApiError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A stored dataset's preview as an HTML page ({@link DatasetPreviews}). */
@Path("/datasets/{name}/preview")
@Tag(name = "datasets")
public class PreviewResource {
  private final DatasetPreviews previews;

  public PreviewResource(DatasetPreviews previews) {
    this.previews = previews;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "A dataset's preview (HTML): pictures per class and split, counts, size "
      + "and checksums",
      description = "Made from every picture on the first view (seconds for MNIST) and stored "
          + "with the dataset at datasets/<name>/preview.json; later views read it.")
  @APIResponse(responseCode = "200", description = "The page")
  @APIResponse(responseCode = "400", description = "Not a valid dataset name",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "404", description = "No dataset of that name",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "The object store does not answer",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public String get(@PathParam("name") String name) throws IOException {
    return PreviewPage.render(previews.preview(name));
  }
}
