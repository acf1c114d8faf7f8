package dev.daflow.inference.service;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.Prediction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Serves predictions: finds the model version (held for the whole request, so a swap never
 * disturbs it), waits for a turn ({@link Admission}), decodes the tensor or picture and
 * preprocesses it on the request's thread, then classifies it in a forward pass shared with the
 * concurrent requests for the same model ({@link DynamicBatcher}). Everything a client did wrong
 * is an {@link InferenceException}, raised before the request joins a batch.
 */
public final class InferenceService {
  /** The outputs an inference response can hold. */
  public static final List<String> OUTPUTS = List.of("probabilities", "label");

  private final ModelRegistry registry;
  private final Admission admission;
  private final DynamicBatcher<Model> batcher;
  private final TensorDecoder tensors;
  private final PictureDecoder pictures;

  public InferenceService(ModelRegistry registry, Admission admission,
      DynamicBatcher<Model> batcher, TensorDecoder tensors, PictureDecoder pictures) {
    this.registry = registry;
    this.admission = admission;
    this.batcher = batcher;
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

  /** Answers an OIP v2 inference request body of JSON only. */
  public Inferred infer(String name, String version, byte[] body) {
    return infer(name, version, body, null);
  }

  /**
   * Answers an OIP v2 inference request body.
   *
   * @param headerLength the {@value InferRequestReader#HEADER_LENGTH} header (the JSON part's
   *     length, binary tensor data after it), or null for a body of JSON only
   */
  public Inferred infer(String name, String version, byte[] body, String headerLength) {
    LoadedModel model = model(name, version);
    try (Admission.Turn turn = admission.enter();
        DynamicBatcher<Model>.Arrival arrival = batcher.arrive(model.name())) {
      InferRequest request = InferRequestReader.read(body, headerLength);
      List<String> outputs = outputs(request.outputs());
      Prediction[] predictions = classify(model.model(), tensors.decode(request), arrival);
      return new Inferred(model, request.id(), predictions, outputs);
    }
  }

  /** Classifies one PNG/JPEG picture. */
  public Classified classify(String name, String contentType, byte[] body) {
    LoadedModel model = model(name, null);
    try (Admission.Turn turn = admission.enter();
        DynamicBatcher<Model>.Arrival arrival = batcher.arrive(model.name())) {
      ImageDataset picture = pictures.decode(contentType, body);
      return new Classified(model, classify(model.model(), picture, arrival)[0]);
    }
  }

  /** Preprocesses on this thread, then runs the forward pass in a batch. */
  private static Prediction[] classify(Model model, ImageDataset pictures,
      DynamicBatcher<Model>.Arrival arrival) {
    float[] input = model.preprocessing().toTensor(pictures);
    return model.predictions(arrival.run(model, input, pictures.count()));
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
