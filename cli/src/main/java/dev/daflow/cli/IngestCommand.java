package dev.daflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.local.Services.Service;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daflow ingest NAME...}: has data-service ingest catalog datasets into the object store
 * ({@code POST /datasets/catalog/{name}}, synchronous: 201 ingested, 200 already there).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Ingest catalog datasets into the platform (data-service: POST"
        + " /datasets/catalog/{name}).")
final class IngestCommand extends DaflowCommand {

  @Parameters(arity = "1..*", paramLabel = "NAME", converter = Converters.NameConverter.class,
      description = "Catalog dataset names: mnist, usps, svhn, mnist64, mnist64-bg.")
  List<String> names;

  @Option(names = "--data-url", paramLabel = "URL",
      description = "data-service's base URL. Default: $DAFLOW_DATA_URL, else stack.env.")
  URI dataUrl;

  @Mixin
  Endpoints endpoints;

  @Override
  int execute() throws Exception {
    ServiceClient data = endpoints.client(Service.DATA, dataUrl, Duration.ofMinutes(10));
    for (String name : names) {
      out().println(ingest(data, name));
      out().flush();
    }
    return 0;
  }

  /**
   * Ingests one catalog dataset.
   *
   * @return a line for people, e.g. {@code mnist: ingested (...)}
   */
  static String ingest(ServiceClient data, String name) throws Exception {
    ServiceClient.Reply r = data.post("datasets/catalog/" + ServiceClient.segment(name),
        "application/json", new byte[0]);
    if (r.status() == 404) {
      throw new IllegalArgumentException("data-service has no catalog dataset '" + name + "': "
          + r.errorMessage());
    }
    ServiceClient.require(r, 200, 201);
    return name + ": " + (r.status() == 200 ? "already there" : "ingested") + summary(r);
  }

  /**
   * The manifest data-service answers with, in short: {@code (train 60000, test 10000 pictures,
   * 1x28x28)}; empty when the answer is not one.
   */
  static String summary(ServiceClient.Reply r) {
    try {
      JsonNode n = r.json();
      if (n == null || !n.path("splits").isObject()) {
        return "";
      }
      List<String> parts = new ArrayList<>();
      n.get("splits").fields().forEachRemaining(f ->
          parts.add(f.getKey() + " " + f.getValue().path("count").asInt()));
      JsonNode shape = n.path("shape");
      return " (" + String.join(", ", parts) + " pictures" + (shape.isObject()
          ? ", " + shape.path("channels").asInt() + "x" + shape.path("height").asInt() + "x"
              + shape.path("width").asInt() : "") + ")";
    } catch (IOException e) {
      return "";
    }
  }
}
