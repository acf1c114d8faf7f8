package dev.daflow.data.rest;

import dev.daflow.contract.Roles;
import dev.daflow.data.service.DatasetFormat;
import dev.daflow.data.service.DatasetRejectedException;
import dev.daflow.data.service.IngestService;
import dev.daflow.data.service.IngestService.IngestResult;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.service.common.rest.ApiError;
import dev.daflow.service.common.rest.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The datasets API: ingest from the built-in catalog, a URL or an upload; list, show, delete.
 * Ingestion answers 201 with the manifest when it stored the dataset, 200 with the stored
 * manifest when the dataset was there already (from the same origin; nothing is published), and
 * the manifest's SHA-256 as {@code ETag}. Errors are {@code {"error", "detail"}}.
 */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets")
public class DatasetResource {
  private static final String REJECTED = "The dataset was refused: an unreadable, corrupt or "
      + "truncated file, a wrong checksum or magic number, an unsupported format (the detail "
      + "names the file and the problem); dataset.rejected is published";

  private final IngestService ingest;

  public DatasetResource(IngestService ingest) {
    this.ingest = ingest;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The manifests of every stored dataset")
  public List<DatasetManifest> list() throws IOException {
    return ingest.list();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Path("/catalog")
  @Operation(summary = "The built-in catalog",
      description = "Each dataset with its publishers' files, addresses and md5 checksums. "
          + "Files are looked up in the mirror folder (daflow.data.mirror), the download cache, "
          + "the mirror server (daflow.data.mirror-url), then at the publisher; every file with "
          + "a published md5 is checked against it wherever it was found. MNIST-M is not in the "
          + "catalog (it has no canonical download address): ingest its published archive "
          + "with POST /datasets or POST /datasets/upload/{name}, format mnist-m-archive.")
  public List<CatalogEntry> catalog() {
    return DatasetCatalog.names().stream()
        .map(n -> new CatalogEntry(n, DatasetCatalog.files(n).stream()
            .map(CatalogEntry.File::of).toList()))
        .toList();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Path("/formats")
  @Operation(summary = "The archive formats POST /datasets and uploads accept",
      description = "Archives may be zip, tar or tar.gz whatever the format's name; they are "
          + "recognised by their content.")
  public List<FormatEntry> formats() {
    return Arrays.stream(DatasetFormat.values())
        .map(f -> new FormatEntry(f.id(), f.description())).toList();
  }

  @POST
  @RolesAllowed(Roles.TRAINER)
  @Path("/catalog/{name}")
  @Operation(summary = "Ingest a dataset of the built-in catalog",
      description = "Stores the catalog dataset under its own name: mnist, usps, svhn, mnist64 "
          + "or mnist64-bg (see GET /datasets/catalog). Synchronous: SVHN takes about a minute. "
          + "Ingesting a stored dataset again is a no-op (200).")
  @APIResponse(responseCode = "201", description = "Ingested; the manifest",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "200", description = "Already stored; its manifest, no event",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "404", description = "Not a catalog dataset; the known names",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "409", description = "Stored from another origin",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "422", description = REJECTED,
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "429", description = "Every ingestion slot is busy",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "502", description = "A file could not be downloaded",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "Kafka or the object store is unavailable",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public Response ingestCatalog(@PathParam("name") String name)
      throws DatasetRejectedException, IOException {
    return answer(ingest.ingestCatalog(name));
  }

  @POST
  @RolesAllowed(Roles.TRAINER)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Download an archive and ingest it",
      description = "The archive (zip, tar or tar.gz, at most daflow.data.max-upload-bytes) is "
          + "read as the format given (GET /datasets/formats). MNIST-M: pass the address of "
          + "its published mnist_m.tar.gz (folders mnist_m_train/, mnist_m_test/ and "
          + "mnist_m_train_labels.txt, mnist_m_test_labels.txt, as a tar.gz or zip) with "
          + "format mnist-m-archive. The same URL again is a no-op (200). Only hosts of "
          + "daflow.data.download.allowed-hosts (default: the catalog's publishers) are "
          + "downloaded from, redirects included, and only at public addresses unless the list "
          + "names the host or address: loopback, private, link-local... addresses are refused "
          + "(400). The whole download must finish within daflow.data.download-timeout.")
  @APIResponse(responseCode = "201", description = "Ingested; the manifest",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "200", description = "Already stored from this URL; no event",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "400", description = "Invalid name or URL; a host not in "
      + "daflow.data.download.allowed-hosts; an address or a redirect the download policy "
      + "refuses (error \"download refused\")",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "409", description = "Stored from another origin",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "413", description = "The archive is over the size limits",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "422", description = REJECTED,
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "502", description = "The URL could not be downloaded: "
      + "unreachable, another status than 200, or over the time limits",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "Kafka or the object store is unavailable",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public Response ingestUrl(UrlIngestRequest request)
      throws DatasetRejectedException, IOException {
    if (request == null) {
      throw new IllegalArgumentException("a JSON body {\"name\", \"url\", \"format\"} is required");
    }
    return answer(ingest.ingestUrl(request.name(), request.url(), request.format()));
  }

  @POST
  @RolesAllowed(Roles.TRAINER)
  @Path("/upload/{name}")
  @Consumes({MediaType.APPLICATION_OCTET_STREAM, "application/zip", "application/gzip",
      "application/x-gzip", "application/x-tar", "application/x-gtar"})
  @Operation(summary = "Ingest an uploaded archive",
      description = "The body is the archive itself (zip, tar or tar.gz; Content-Type "
          + "application/octet-stream or application/zip), at most "
          + "daflow.data.max-upload-bytes. Example: curl -H 'Content-Type: "
          + "application/octet-stream' --data-binary @mnist_m.tar.gz "
          + "'http://host/datasets/upload/mnist-m?format=mnist-m-archive'. The same bytes "
          + "again are a no-op (200).")
  @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
      schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType
          .STRING, format = "binary")))
  @APIResponse(responseCode = "201", description = "Ingested; the manifest",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "200", description = "These bytes are stored already; no event",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "400", description = "Invalid name",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "409", description = "Stored from another origin",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "413", description = "The archive is over the size limits",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "422", description = REJECTED,
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  @APIResponse(responseCode = "503", description = "Kafka or the object store is unavailable",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public Response ingestUpload(@PathParam("name") String name,
      @Parameter(description = "what the archive holds, see GET /datasets/formats",
          required = true) @QueryParam("format") String format,
      InputStream body) throws DatasetRejectedException, IOException {
    return answer(ingest.ingestUpload(name, format, body));
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Path("/{name}")
  @Operation(summary = "The manifest of a stored dataset")
  @APIResponse(responseCode = "200", description = "The manifest",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = DatasetManifest.class)))
  @APIResponse(responseCode = "404", description = "No dataset of that name",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public Response get(@PathParam("name") String name) throws IOException {
    var stored = ingest.get(name);
    return Response.ok(stored.manifest()).tag(new EntityTag(stored.sha256())).build();
  }

  @DELETE
  @RolesAllowed(Roles.ADMIN)
  @Path("/{name}")
  @Operation(summary = "Delete a stored dataset",
      description = "The manifest first (the dataset is gone at once), then its shards; then "
          + "dataset.deleted is published, naming who deleted it (principal jwt:<user>).")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", description = "No dataset of that name",
      content = @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = ApiError.class)))
  public Response delete(@PathParam("name") String name, @Context SecurityContext security)
      throws IOException {
    ingest.delete(name, Callers.principal(security));
    return Response.noContent().build();
  }

  private static Response answer(IngestResult result) {
    var stored = result.dataset();
    Response.ResponseBuilder r = result.created()
        ? Response.created(URI.create("/datasets/" + stored.manifest().dataset()))
        : Response.ok();
    return r.entity(stored.manifest()).tag(new EntityTag(stored.sha256())).build();
  }
}
