package dev.daflow.cli;

import dev.daflow.local.Services.Service;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code daflow datasets ...}: the datasets stored by data-service. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
    description = "Datasets stored by data-service.",
    subcommands = {DatasetsCommand.Preview.class, CommandLine.HelpCommand.class})
final class DatasetsCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code daflow datasets preview NAME}: saves a dataset's preview ({@code GET
   * /datasets/{name}/preview} on data-service) as one HTML file and prints where.
   */
  @Command(name = "preview", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Save a dataset's preview as an HTML file (data-service: GET"
          + " /datasets/{name}/preview): pictures per class and split, counts, size, checksums.")
  static final class Preview extends DaflowCommand {
    @Parameters(index = "0", paramLabel = "NAME", converter = Converters.NameConverter.class,
        description = "The dataset name.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Where to save it. Default: NAME-preview.html in the current folder.")
    Path output;

    @Option(names = "--open", description = "Open the saved page in the desktop's browser.")
    boolean open;

    @Option(names = "--data-url", paramLabel = "URL",
        description = "data-service's base URL. Default: $DAFLOW_DATA_URL, else stack.env.")
    URI dataUrl;

    @Mixin
    Endpoints endpoints;

    @Override
    int execute() throws Exception {
      ServiceClient data = endpoints.client(Service.DATA, dataUrl, Duration.ofMinutes(2));
      Path file = Pages.save(data, "datasets/" + ServiceClient.segment(name) + "/preview",
          output != null ? output : Path.of(name + "-preview.html"),
          "data-service has no dataset " + name);
      Pages.announce(out(), file, open);
      return 0;
    }
  }
}
