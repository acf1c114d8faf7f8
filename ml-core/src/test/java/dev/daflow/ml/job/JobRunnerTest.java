package dev.daflow.ml.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Method;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.eval.Evaluator;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.fixtures.SourceBranch;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.model.ModelCard;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.ml.train.TrainingResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRunnerTest {

  /**
   * A network with domain-specific batch normalisation serves the target's statistics; its card's
   * source test accuracy reads the source's ({@link Model#sourceView}). Here the source statistics
   * make every output one constant class and the source test split holds only that class: through
   * the source view every picture is right, through the served view not.
   */
  @Test
  void sourceTestAccuracyReadsTheSourceStatistics() throws Exception {
    ImageDataset mnist = Digits.mnistTrain(300);
    TrainingConfig config = TrainingConfig.defaults(Method.DANN, "lenet-bn");
    ModelCard card = new ModelCard(Method.DANN.id(), Method.DANN.paper(), config, null, null,
        Map.of(), 1, 1, Map.of(), "2026-01-01T00:00:00Z");
    Model model = SourceBranch.constant(mnist, card);
    ImageDataset onlyOne = Digits.ofClass(mnist, model.sourceView().predict(mnist)[0]);
    assertThat(Evaluator.evaluate(model, onlyOne).accuracy()).isLessThan(1.0);
    DatasetSource catalog = (name, split, limit) -> name.equals("src") ? onlyOne : mnist;
    TrainedModel trained = new TrainedModel(model,
        new TrainingResult(null, config, model.preprocessing(), 1, 1, Map.of())); // not read

    JobResult result = new JobRunner(catalog).evaluate(new JobSpec("src", "tgt", config, 0),
        trained);

    assertThat(result.sourceTest().accuracy()).isEqualTo(1.0);
    assertThat(result.model().card().metrics()).containsEntry("source_test_accuracy", 1.0);
    // The target split is read through the served view (the target's statistics).
    assertThat(result.targetTest().accuracy())
        .isEqualTo(Evaluator.evaluate(model, mnist).accuracy());
  }
}
