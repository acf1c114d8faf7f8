package dev.daflow.cli;

import dev.daflow.ml.model.ModelBundle;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daflow local info}: prints a bundle's manifest (network, preprocessing, classes, model
 * card).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print a model bundle's manifest as JSON.")
final class InfoCommand extends DaflowCommand {

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model bundle.")
  Path model;

  @Override
  int execute() throws Exception {
    out().println(ModelBundle.describe(ModelBundle.load(model)));
    return 0;
  }
}
