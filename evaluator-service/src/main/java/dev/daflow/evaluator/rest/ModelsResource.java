package dev.daflow.evaluator.rest;

import dev.daflow.contract.Roles;
import dev.daflow.evaluator.rest.ModelViews.ModelDetail;
import dev.daflow.evaluator.rest.ModelViews.ModelSummary;
import dev.daflow.evaluator.rest.ModelViews.VersionView;
import dev.daflow.evaluator.service.ManualPromotions;
import dev.daflow.evaluator.service.ModelNotFoundException;
import dev.daflow.evaluator.service.ModelQueries;
import dev.daflow.service.common.rest.ApiError;
import dev.daflow.service.common.rest.Callers;
import dev.daflow.storage.ObjectKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Models, their versions and their evaluations, read from the object store (so every replica
 * answers the same, across restarts).
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Models, their promoted versions and evaluations")
public class ModelsResource {
  @Inject
  ModelQueries queries;

  @Inject
  ManualPromotions promotions;

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Every model: its serving version, its versions and each job's "
      + "evaluations (epoch, source and target accuracy)")
  @APIResponse(responseCode = "200", description = "The models, by name")
  @APIResponse(responseCode = "503", description = "The object store does not answer",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public List<ModelSummary> list() {
    return queries.all().stream().map(ModelSummary::of).toList();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Path("/{name}")
  @Operation(summary = "One model, with per-class accuracy and confusion matrices of its "
      + "serving version")
  @APIResponse(responseCode = "200", description = "The model")
  @APIResponse(responseCode = "400", description = "Not a valid model name",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "404", description = "No such model",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "The object store does not answer",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public ModelDetail get(@PathParam("name") String name) {
    ObjectKeys.name("model name", name); // IllegalArgumentException: 400 invalid request
    return queries.byName(name).map(ModelDetail::of)
        .orElseThrow(() -> new ModelNotFoundException(name));
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Path("/{name}/versions/{version}/promote")
  @Operation(summary = "Serve an existing version again (roll back, or forward): its bundle "
      + "becomes the model's next version, announced with model.promoted so inference follows")
  @APIResponse(responseCode = "201", description = "Recorded as the next version; the body is "
      + "that version")
  @APIResponse(responseCode = "200", description = "That bundle is served already: nothing "
      + "recorded, its promotion announced again; the body is the served version")
  @APIResponse(responseCode = "400", description = "Not a valid model name or version",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "404", description = "No such model or version",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "409", description = "The version's bundle is gone or changed",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "The object store or Kafka does not answer",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public Response promote(@PathParam("name") String name, @PathParam("version") int version,
      @Context SecurityContext security) {
    ManualPromotions.Outcome outcome = promotions.promote(name, version,
        Callers.principal(security));
    return Response.status(outcome.added() ? 201 : 200)
        .entity(VersionView.of(outcome.served())).build();
  }
}
