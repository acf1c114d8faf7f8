package dev.daflow.evaluator.rest;

import dev.daflow.contract.Roles;
import dev.daflow.evaluator.config.EvaluatorConfig;
import dev.daflow.evaluator.service.ModelReports;
import dev.daflow.evaluator.service.ReportNotFoundException;
import dev.daflow.evaluator.service.ReportPage;
import dev.daflow.service.common.rest.ApiError;
import dev.daflow.storage.ObjectKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A model version's report as an HTML page, laid out from the report stored when the version was
 * promoted ({@link ModelReports}): nothing is computed per view.
 */
@Path("/models/{name}/versions/{version}/report")
@Tag(name = "models")
public class ReportResource {
  private final ModelReports reports;
  private final EvaluatorConfig config;

  public ReportResource(ModelReports reports, EvaluatorConfig config) {
    this.reports = reports;
    this.config = config;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "The report of a model version (HTML, figures as inline SVG and PNG)",
      description = "Model card, accuracy per epoch, confusion matrices, per-class accuracy, PCA "
          + "embeddings of source and target features of the first and last epoch, proxy "
          + "A-distance before adaptation (on a named reference) and after, the target pictures "
          + "it gets wrong. Computed once when the job's bundle was promoted and stored at "
          + "checkpoints/<jobId>/report.json; a version promoted by hand shows it with its own "
          + "promotion (who, from which version).")
  @APIResponse(responseCode = "200", description = "The page")
  @APIResponse(responseCode = "400", description = "Not a valid model name or version",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "404", description = "No such version, or its report is not "
      + "computed yet", content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "The object store does not answer",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public String get(@PathParam("name") String name, @PathParam("version") String version) {
    ObjectKeys.name("model name", name); // IllegalArgumentException: 400 invalid request
    int v;
    try {
      v = Integer.parseInt(version);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("version must be a positive integer, got '"
          + (version.length() > 40 ? version.substring(0, 40) + "..." : version)
          + "'");
    }
    if (v < 1) {
      throw new IllegalArgumentException("version must be a positive integer, got " + v);
    }
    return reports.report(name, v)
        .map(r -> ReportPage.render(r, config.evaluator().dataUrl().orElse(null)))
        .orElseThrow(() -> new ReportNotFoundException(name, v));
  }
}
