package dev.daflow.cli;

import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import dev.daflow.ml.model.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daflow local predict}: classifies PNG/JPEG files, one {@code file label probability}
 * line each.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Classify pictures (PNG, JPEG): prints 'file label probability' per file.")
final class PredictCommand extends DaflowCommand {

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model bundle.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pictures to classify.")
  List<Path> files;

  @Override
  int execute() throws Exception {
    Model m = ModelBundle.load(model);
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      Prediction p;
      try {
        p = m.classify(bytes);
      } catch (IOException e) {
        throw new IOException(f + ": " + e.getMessage(), e);
      }
      out().printf(Locale.ROOT, "%s %s %.4f%n", f, p.label(), p.probabilities()[p.classIndex()]);
    }
    return 0;
  }
}
