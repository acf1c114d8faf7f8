package dev.daflow.cli;

import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.eval.EvaluationReport;
import dev.daflow.ml.eval.Evaluator;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelBundle;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow local evaluate}: accuracy and confusion matrix of a model bundle on a dataset
 * split.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evaluate a model bundle on a labelled dataset split.")
final class EvaluateCommand extends DaflowCommand {

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model bundle.")
  Path model;

  @Option(names = "--dataset", required = true, paramLabel = "DATASET",
      converter = Converters.DatasetConverter.class,
      description = "Dataset: mnist, usps, svhn, mnist64, mnist64-bg.")
  String dataset;

  @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
      converter = Converters.SplitConverter.class,
      description = "train or test. Default: ${DEFAULT-VALUE}.")
  DatasetSource.Split split;

  @Mixin
  DatasetOptions datasets;

  @Override
  int execute() throws Exception {
    Model m = ModelBundle.load(model);
    ImageDataset data = datasets.catalog().load(dataset, split);
    EvaluationReport r = Evaluator.evaluate(m, data);
    out().printf(Locale.ROOT, "%s accuracy %.4f (%d pictures)%n", r.dataset(), r.accuracy(),
        r.count());
    out().println();
    out().print(r.confusionTable());
    return 0;
  }
}
