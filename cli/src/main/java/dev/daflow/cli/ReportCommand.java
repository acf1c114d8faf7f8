package dev.daflow.cli;

import dev.daflow.local.Services.Service;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daflow report MODEL [--version V] [--open]}: saves a model version's report ({@code GET
 * /models/{name}/versions/{v}/report} on evaluator-service) as one HTML file, its figures and
 * pictures inside, and prints where.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Save a model version's report as an HTML file (evaluator-service: GET"
        + " /models/{name}/versions/{v}/report): model card, accuracy per epoch, confusion"
        + " matrices, per-class accuracy, feature embeddings, proxy A-distance, wrong target"
        + " pictures. The file holds its pictures."})
final class ReportCommand extends DaflowCommand {

  @Parameters(index = "0", paramLabel = "MODEL", converter = Converters.NameConverter.class,
      description = "The model name.")
  String model;

  @Option(names = "--version", paramLabel = "V",
      description = "The version. Default: the serving (highest) one.")
  Integer version;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to save it. Default: MODEL-vV-report.html in the current folder.")
  Path output;

  @Option(names = "--open", description = "Open the saved page in the desktop's browser.")
  boolean open;

  @Option(names = "--evaluator-url", paramLabel = "URL",
      description = "evaluator-service's base URL. Default: $DAFLOW_EVALUATOR_URL, else"
          + " stack.env.")
  URI evaluatorUrl;

  @Mixin
  Endpoints endpoints;

  @Override
  int execute() throws Exception {
    if (version != null && version < 1) {
      throw new IllegalArgumentException("--version must be 1 or more, got " + version);
    }
    ServiceClient evaluator = endpoints.client(Service.EVALUATOR, evaluatorUrl, Duration.ofSeconds(30));
    int v = version != null ? version : servingVersion(evaluator);
    Path file = Pages.save(evaluator, "models/" + ServiceClient.segment(model) + "/versions/" + v
        + "/report", output != null ? output : Path.of(model + "-v" + v + "-report.html"),
        "no report of " + model + " version " + v);
    Pages.announce(out(), file, open);
    return 0;
  }

  private int servingVersion(ServiceClient evaluator) throws Exception {
    ServiceClient.Reply r = evaluator.get("models/" + ServiceClient.segment(model));
    if (r.status() == 404) {
      throw new IllegalArgumentException("evaluator-service knows no model " + model + " ("
          + r.errorMessage() + ")");
    }
    var current = ServiceClient.require(r, 200).json().path("currentVersion");
    if (!current.canConvertToInt()) {
      throw new IllegalArgumentException("model " + model + " has no promoted version yet");
    }
    return current.asInt();
  }
}
