package dev.daflow.trainer.rest;

import dev.daflow.contract.Roles;
import dev.daflow.events.TrainingRequested;
import dev.daflow.service.common.rest.ApiError;
import dev.daflow.service.common.rest.Callers;
import dev.daflow.service.common.rest.ErrorResponses;
import dev.daflow.trainer.service.JobNotFoundException;
import dev.daflow.trainer.service.JobView;
import dev.daflow.trainer.service.TrainingJobs;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Training jobs: list, inspect, cancel, and request new ones. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
public class JobResource {
  private final TrainingJobs jobs;

  public JobResource(TrainingJobs jobs) {
    this.jobs = jobs;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Every job, newest first",
      description = "Records from the object store; jobs running on this replica also carry "
          + "their live progress (epoch, iteration, last losses, images/s).")
  public List<JobView> list() {
    return jobs.list();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Path("/{id}")
  @Operation(summary = "One job")
  @APIResponse(responseCode = "200", description = "The job")
  @APIResponse(responseCode = "404", description = "No such job")
  public JobView get(@PathParam("id") String id) {
    return jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
  }

  @POST
  @RolesAllowed(Roles.TRAINER)
  @Path("/{id}/cancel")
  @Operation(summary = "Cancel a job",
      description = "Sets cancelRequested in the job's record; the replica running it stops at "
          + "its next step (within seconds) and publishes training.cancelled.")
  @APIResponse(responseCode = "202", description = "Cancel requested")
  @APIResponse(responseCode = "404", description = "No such job")
  @APIResponse(responseCode = "409", description = "The job is already over")
  public Response cancel(@PathParam("id") String id) {
    return Response.accepted(jobs.cancel(id)).build();
  }

  @POST
  @RolesAllowed(Roles.TRAINER)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Request a training job",
      description = "Checks the request (datasets ingested, network, values) and publishes "
          + "training.requested naming who asked (principal jwt:<user>, recorded in the job and "
          + "its model card as requestedBy); a trainer replica picks it up.")
  @APIResponse(responseCode = "202", description = "Requested; follow GET /jobs/{id}")
  @APIResponse(responseCode = "400", description = "Invalid request, with every problem")
  public Response request(JobRequest body, @Context SecurityContext security) {
    if (body == null) {
      return ErrorResponses.json(Response.Status.BAD_REQUEST, "invalid request",
          "the body must be a JSON training request");
    }
    TrainingRequested event = body.toEvent();
    List<String> problems = jobs.request(event, Callers.principal(security));
    if (!problems.isEmpty()) {
      return ErrorResponses.json(Response.Status.BAD_REQUEST.getStatusCode(),
          new ApiError("invalid request", String.join("; ", problems), problems));
    }
    return Response.accepted(Map.of("jobId", event.jobId()))
        .location(URI.create("/jobs/" + event.jobId())).build();
  }
}
