package dev.daflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.local.Services.Service;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daflow classify --model NAME picture...}: classifies pictures with the platform's serving
 * model ({@code POST /v2/models/{name}/classify} on inference-service, the picture as the body):
 * one line per picture with its label and the top probabilities.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Classify pictures (PNG, JPEG) with a served model (inference-service: POST"
        + " /v2/models/{name}/classify).",
        "Prints 'file label probability (model vN; top: ...)' per picture."})
final class ClassifyCommand extends DaflowCommand {

  @Option(names = "--model", required = true, paramLabel = "NAME",
      converter = Converters.NameConverter.class, description = "The model's name.")
  String model;

  @Option(names = "--top", paramLabel = "K", defaultValue = "3",
      description = "How many of the most probable labels to show. Default: ${DEFAULT-VALUE}.")
  int top;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pictures to classify.")
  List<Path> files;

  @Option(names = "--inference-url", paramLabel = "URL",
      description = "inference-service's base URL. Default: $DAFLOW_INFERENCE_URL, else"
          + " stack.env.")
  URI inferenceUrl;

  @Mixin
  Endpoints endpoints;

  /** A classified picture: the label and each label's probability. */
  record Result(String label, double probability, int version, Map<String, Double> probabilities) {
    /** The {@code k} most probable labels, most probable first. */
    List<Map.Entry<String, Double>> top(int k) {
      return probabilities.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
          .limit(k).toList();
    }
  }

  @Override
  int execute() throws Exception {
    ServiceClient inference = endpoints.client(Service.INFERENCE, inferenceUrl, Duration.ofSeconds(60));
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      Result r = classify(inference, model, bytes, contentType(f));
      String tops = r.top(Math.max(0, top)).stream()
          .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
          .collect(Collectors.joining(", "));
      out().printf(Locale.ROOT, "%s %s %.4f (%s v%d; top: %s)%n", f, r.label(), r.probability(),
          model, r.version(), tops);
      out().flush();
    }
    return 0;
  }

  /** The content type of a picture file, by its name. */
  static String contentType(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".png")) {
      return "image/png";
    }
    if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    return "application/octet-stream";
  }

  /**
   * Classifies one picture (retrying for a few seconds while the service answers 429, busy).
   *
   * @throws IllegalStateException when the service refuses it (its message)
   */
  static Result classify(ServiceClient inference, String model, byte[] picture, String type)
      throws IOException, InterruptedException {
    String path = "v2/models/" + ServiceClient.segment(model) + "/classify";
    ServiceClient.Reply reply = inference.post(path, type, picture);
    for (int retry = 0; reply.status() == 429 && retry < 20; retry++) {
      Thread.sleep(250); // busy: every inference slot is taken, retry shortly
      reply = inference.post(path, type, picture);
    }
    if (reply.status() == 404) {
      throw new IllegalArgumentException("inference-service serves no model '" + model + "' ("
          + reply.errorMessage() + ")");
    }
    ServiceClient.require(reply, 200);
    return parse(reply.json());
  }

  /**
   * Reads {@code {model, version, label, probabilities}}: probabilities as an object ({@code
   * {"0": 0.01, ...}}), or as a list in class order (then named by {@code classNames} or {@code
   * labels} when given, else by index).
   */
  static Result parse(JsonNode n) {
    String label = n.path("label").asText();
    Map<String, Double> probs = new java.util.LinkedHashMap<>();
    JsonNode p = n.path("probabilities");
    if (p.isObject()) {
      p.fields().forEachRemaining(e -> probs.put(e.getKey(), e.getValue().asDouble()));
    } else if (p.isArray()) {
      JsonNode names = n.has("classNames") ? n.get("classNames") : n.path("labels");
      List<String> classNames = new ArrayList<>();
      names.forEach(c -> classNames.add(c.asText()));
      for (int i = 0; i < p.size(); i++) {
        probs.put(i < classNames.size() ? classNames.get(i) : String.valueOf(i),
            p.get(i).asDouble());
      }
    }
    double probability = probs.getOrDefault(label, Double.NaN);
    return new Result(label, probability, n.path("version").asInt(0), probs);
  }
}
