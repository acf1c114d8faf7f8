package dev.daflow.inference.service;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.model.Prediction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Serves predictions: finds the model version (held for the whole request, so a swap never
 * disturbs it), waits for a turn ({@link Admission}), decodes the tensor or picture and
 * classifies it. Everything a client did wrong is an {@link InferenceException}.
 */
public final class InferenceService {
  /** The outputs an inference response can hold. */
  public static final List<String> OUTPUTS = List.of("probabilities", "label");

  private final ModelRegistry registry;
  private final Admission admission;
  private final TensorDecoder tensors;
  private final PictureDecoder pictures;

  public InferenceService(ModelRegistry registry, Admission admission, TensorDecoder tensors,
      PictureDecoder pictures) {
    this.registry = registry;
    this.admission = admission;
    this.tensors = tensors;
    this.pictures = pictures;
  }

  /**
   * The result of an inference request.
   *
   * @param model the version that answered
   * @param id the request's id (null if none)
   * @param predictions one per picture, in order
   * @param outputs the outputs to return, in {@link #OUTPUTS} order
   */
  public record Inferred(LoadedModel model, String id, Prediction[] predictions,
      List<String> outputs) {}

  /**
   * The result of classifying one picture.
   *
   * @param model the version that answered
   * @param prediction its prediction
   */
  public record Classified(LoadedModel model, Prediction prediction) {}

  /**
   * The model version a request for {@code name} (and, if not null, {@code version}) uses.
   *
   * @throws InferenceException.ModelNotFound unknown name, or a version that is not served
   * @throws InferenceException.ModelNotReady promoted but not loaded
   */
  public LoadedModel model(String name, String version) {
    LoadedModel model = registry.lookup(name);
    if (version != null && !version.equals(Integer.toString(model.version()))) {
      throw new InferenceException.ModelNotFound("model '" + name + "' version '" + version
          + "' is not served here; the served version is " + model.version());
    }
    return model;
  }

  /** Answers an OIP v2 inference request body (JSON). */
  public Inferred infer(String name, String version, byte[] body) {
    LoadedModel model = model(name, version);
    try (Admission.Turn turn = admission.enter()) {
      InferRequest request = InferRequestReader.read(body);
      List<String> outputs = outputs(request.outputs());
      ImageDataset batch = tensors.decode(request);
      Prediction[] predictions = model.model().classify(batch);
      return new Inferred(model, request.id(), predictions, outputs);
    }
  }

  /** Classifies one PNG/JPEG picture. */
  public Classified classify(String name, String contentType, byte[] body) {
    LoadedModel model = model(name, null);
    try (Admission.Turn turn = admission.enter()) {
      ImageDataset picture = pictures.decode(contentType, body);
      return new Classified(model, model.model().classify(picture)[0]);
    }
  }

  private static List<String> outputs(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      return OUTPUTS;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : requested) {
      if (!OUTPUTS.contains(name)) {
        throw new InferenceException.InvalidInput("unknown output '" + name + "': the model's "
            + "outputs are " + OUTPUTS);
      }
      wanted.add(name);
    }
    return OUTPUTS.stream().filter(wanted::contains).toList();
  }
}
