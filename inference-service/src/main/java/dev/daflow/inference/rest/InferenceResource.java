package dev.daflow.inference.rest;

import dev.daflow.contract.Roles;
import dev.daflow.inference.config.InferenceConfig;
import dev.daflow.inference.health.ServiceReadiness;
import dev.daflow.inference.service.InferRequestReader;
import dev.daflow.inference.service.InferenceException;
import dev.daflow.inference.service.InferenceMetrics;
import dev.daflow.inference.service.InferenceService;
import dev.daflow.inference.service.LoadedModel;
import dev.daflow.inference.service.TensorDecoder;
import dev.daflow.ml.model.Prediction;
import dev.daflow.ml.nn.InputShape;
import dev.daflow.platform.inference.OpenInference;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The KServe Open Inference Protocol v2 over REST ({@code /v2/...}), and {@code POST
 * /v2/models/{name}/classify} for PNG/JPEG pictures. Refusals are JSON {@code {"error": "..."}}:
 * 400 bad tensor or picture, 404 unknown model, 413 body too large, 429 busy, 503 model promoted
 * but not loaded.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Open Inference Protocol v2")
public class InferenceResource {
  /** The OIP {@code platform} of every model. */
  public static final String PLATFORM = "dl4j";

  private final InferenceService inference;
  private final InferenceMetrics metrics;
  private final ServiceReadiness readiness;
  private final long maxBodyBytes;
  private final String serverName;
  private final String serverVersion;

  @Inject
  public InferenceResource(InferenceService inference, InferenceMetrics metrics,
      ServiceReadiness readiness, InferenceConfig config,
      @ConfigProperty(name = "quarkus.application.name") String serverName,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "0")
          String serverVersion) {
    this.inference = inference;
    this.metrics = metrics;
    this.readiness = readiness;
    this.maxBodyBytes = config.inference().maxBodyBytes().asLongValue();
    this.serverName = serverName;
    this.serverVersion = serverVersion;
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Operation(summary = "Server metadata")
  public Oip.ServerMetadata server() {
    return new Oip.ServerMetadata(serverName, serverVersion, List.of());
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Path("/health/live")
  @Operation(summary = "Server liveness: 200 while the process answers")
  public Oip.Live live() {
    return new Oip.Live(true);
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Path("/health/ready")
  @Operation(summary = "Server readiness: 200 when Kafka and the store answer and a model is "
      + "loaded, else 503")
  public Response ready() {
    boolean ready = readiness.ready();
    return Response.status(ready ? 200 : 503).entity(new Oip.Ready(ready)).build();
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Path("/models/{name}")
  @Operation(summary = "Model metadata: versions, input and output tensors")
  @APIResponse(responseCode = "404", description = "Unknown model")
  @APIResponse(responseCode = "503", description = "Promoted, not loaded yet")
  public Oip.ModelMetadata metadata(@PathParam("name") String name) {
    return metadata(inference.model(name, null));
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Path("/models/{name}/versions/{version}")
  @Operation(summary = "Model metadata of a version (only the served one is available)")
  public Oip.ModelMetadata metadata(@PathParam("name") String name,
      @PathParam("version") String version) {
    return metadata(inference.model(name, version));
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Path("/models/{name}/ready")
  @Operation(summary = "Model readiness: 200 loaded, 503 promoted but not loaded, 404 unknown")
  public Oip.ModelReady modelReady(@PathParam("name") String name) {
    return new Oip.ModelReady(inference.model(name, null).name(), true);
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.INFERENCE})
  @Path("/models/{name}/versions/{version}/ready")
  @Operation(summary = "Readiness of a model version")
  public Oip.ModelReady modelReady(@PathParam("name") String name,
      @PathParam("version") String version) {
    return new Oip.ModelReady(inference.model(name, version).name(), true);
  }

  @POST
  @RolesAllowed(Roles.INFERENCE)
  @Path("/models/{name}/infer")
  @Operation(summary = "Classify a batch of pictures given as one UINT8 or FP32 tensor "
      + "[N, H, W, C]")
  @RequestBody(description = "OIP inference request: {\"inputs\": [{\"name\": \"input\", "
      + "\"datatype\": \"UINT8\", \"shape\": [N, H, W, C], \"data\": [...]}]}; or, with the "
      + "header Inference-Header-Content-Length (the binary data extension), that many bytes of "
      + "JSON whose input has \"parameters\": {\"binary_data_size\": bytes} instead of data, "
      + "then the tensor's raw values (UINT8, or FP32 little-endian)")
  @APIResponse(responseCode = "200", description = "Outputs 'probabilities' FP32 [N, classes] "
      + "and 'label' BYTES [N]")
  @APIResponse(responseCode = "400", description = "Not a valid tensor for the model")
  @APIResponse(responseCode = "413", description = "Body larger than max-body-bytes")
  @APIResponse(responseCode = "429", description = "Busy: retry later")
  public Oip.InferResponse infer(@PathParam("name") String name,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      @HeaderParam(OpenInference.HEADER_LENGTH) String headerLength, InputStream body) {
    return infer(name, null, contentLength, headerLength, body);
  }

  @POST
  @RolesAllowed(Roles.INFERENCE)
  @Path("/models/{name}/versions/{version}/infer")
  @Operation(summary = "Inference on a model version (only the served one is available)")
  public Oip.InferResponse infer(@PathParam("name") String name,
      @PathParam("version") String version,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      @HeaderParam(OpenInference.HEADER_LENGTH) String headerLength, InputStream body) {
    return observed(name, "infer", () -> {
      byte[] bytes = RequestBodies.read(body, contentLength, maxBodyBytes);
      InferenceService.Inferred r = inference.infer(name, version, bytes, headerLength);
      return new Counted<>(response(r), r.predictions().length);
    });
  }

  @POST
  @RolesAllowed(Roles.INFERENCE)
  @Path("/models/{name}/classify")
  @Operation(summary = "Classify one picture sent as image/png or image/jpeg")
  @RequestBody(description = "The picture's bytes, Content-Type image/png or image/jpeg")
  @APIResponse(responseCode = "200", description = "Label and probability of every class")
  @APIResponse(responseCode = "400", description = "Not a PNG/JPEG picture, or another type")
  public Oip.Classification classify(@PathParam("name") String name,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
    return observed(name, "classify", () -> {
      byte[] bytes = RequestBodies.read(body, contentLength, maxBodyBytes);
      InferenceService.Classified r = inference.classify(name, baseType(contentType), bytes);
      Prediction p = r.prediction();
      List<String> classes = r.model().model().classNames();
      Map<String, Float> probabilities = new LinkedHashMap<>();
      for (int c = 0; c < classes.size(); c++) {
        probabilities.put(classes.get(c), p.probabilities()[c]);
      }
      return new Counted<>(new Oip.Classification(r.model().name(), r.model().version(),
          p.label(), probabilities), 1);
    });
  }

  /** A response and the pictures it classified. */
  private record Counted<T>(T response, int pictures) {}

  /** Runs a request, counting it by status and timing it when it succeeds. */
  private <T> T observed(String name, String endpoint, Supplier<Counted<T>> request) {
    long start = System.nanoTime();
    int status = 500;
    int pictures = 0;
    try {
      Counted<T> counted = request.get();
      status = 200;
      pictures = counted.pictures();
      return counted.response();
    } catch (InferenceException e) {
      status = e.status();
      throw e;
    } finally {
      metrics.request(name, endpoint, status, Duration.ofNanos(System.nanoTime() - start),
          pictures);
    }
  }

  private static Oip.ModelMetadata metadata(LoadedModel m) {
    InputShape in = m.model().preprocessing().input();
    int classes = m.model().classNames().size();
    return new Oip.ModelMetadata(m.name(), List.of(Integer.toString(m.version())), PLATFORM,
        List.of(new Oip.TensorMetadata(TensorDecoder.INPUT, "UINT8",
            new long[] {-1, in.height(), in.width(), in.channels()})),
        List.of(new Oip.TensorMetadata("probabilities", "FP32", new long[] {-1, classes}),
            new Oip.TensorMetadata("label", "BYTES", new long[] {-1})));
  }

  private static Oip.InferResponse response(InferenceService.Inferred r) {
    Prediction[] predictions = r.predictions();
    int n = predictions.length;
    int classes = r.model().model().classNames().size();
    List<Oip.OutputTensor> outputs = new ArrayList<>();
    for (String output : r.outputs()) {
      if (output.equals("probabilities")) {
        float[] data = new float[n * classes];
        for (int i = 0; i < n; i++) {
          System.arraycopy(predictions[i].probabilities(), 0, data, i * classes, classes);
        }
        outputs.add(new Oip.OutputTensor(output, "FP32", new long[] {n, classes}, data));
      } else {
        List<String> labels = new ArrayList<>(n);
        for (Prediction p : predictions) {
          labels.add(p.label());
        }
        outputs.add(new Oip.OutputTensor(output, "BYTES", new long[] {n}, labels));
      }
    }
    return new Oip.InferResponse(r.model().name(), Integer.toString(r.model().version()), r.id(),
        outputs);
  }

  /** {@code image/png; x=y} -> {@code image/png}; null stays null. */
  private static String baseType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }
}
