package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.fixtures.SourceBranch;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import dev.daflow.ml.train.TargetPictures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LabelFreeValidation} on a model: every validator, from the model's own outputs. */
class LabelFreeValidationTest {

  @Test
  void measuresEveryValidatorFromTheModelsOutputs() {
    ImageDataset mnist = Digits.mnistTrain(300);
    ImageDataset usps = Digits.uspsTrain(200);
    LeNet net = new LeNet();
    Preprocessing pre = Preprocessing.fit(mnist, net.input(), net.framing(), Scaling.UNIT);
    Model model = new Model(Graphs.inference(net, 3), net.name(), pre, ImageDataset.DIGITS, null);

    Map<String, Double> v = LabelFreeValidation.measure(model, TargetPictures.of(usps), mnist, 1);

    assertThat(v.keySet()).containsExactly("source_val_accuracy", "entropy", "im", "bnm", "snd",
        "class_ami", "dev", "largest_class_share", "mean_prediction_entropy", "collapsed",
        "source_val_pictures");
    assertThat(v.get("source_val_pictures")).isEqualTo((double) mnist.count());
    // The same figures as the pure functions on the model's outputs.
    LabelFreeValidation.Outputs out = LabelFreeValidation.outputs(model, usps, true);
    double[][] p = out.probabilities();
    assertThat(p).hasNumberOfRows(200);
    assertThat(v.get("im")).isCloseTo(Validators.informationMaximization(p), within(1e-12));
    assertThat(v.get("snd")).isCloseTo(Validators.softNeighbourhoodDensity(p), within(1e-12));
    assertThat(v.get("largest_class_share")).isCloseTo(Collapse.of(p).largestClassShare(),
        within(1e-12));
    int[] predicted = Validators.argMax(
        LabelFreeValidation.outputs(model, mnist, false).probabilities());
    assertThat(v.get("source_val_accuracy"))
        .isCloseTo(Validators.accuracy(predicted, mnist.labels()), within(1e-12));
    // Without held-out source pictures: no source_val_accuracy, no dev.
    assertThat(LabelFreeValidation.measure(model, TargetPictures.of(usps), null, 1))
        .doesNotContainKeys("source_val_accuracy", "dev").containsKeys("im", "class_ami");
  }

  /**
   * With domain-specific batch normalisation the source-measured validators read the network's
   * source branch: here the source statistics make every output one constant class, so on
   * held-out pictures of only that class the source view is right on every one, where the served
   * (target-statistics) view is not.
   */
  @Test
  void sourceValidationReadsTheSourceStatistics() {
    ImageDataset mnist = Digits.mnistTrain(300);
    Model model = SourceBranch.constant(mnist, null);
    Model source = model.sourceView();
    assertThat(source).isNotSameAs(model);
    // Made once: an evaluation reads it for the source test split and for the validators.
    assertThat(model.sourceView()).isSameAs(source);
    assertThat(source.sourceView()).isSameAs(source);
    int[] constant = Validators.argMax(
        LabelFreeValidation.outputs(source, mnist, false).probabilities());
    assertThat(constant).containsOnly(constant[0]);
    int c = constant[0];
    ImageDataset heldOut = Digits.ofClass(mnist, c);
    int[] labels = heldOut.labels();
    double served = Validators.accuracy(Validators.argMax(
        LabelFreeValidation.outputs(model, heldOut, false).probabilities()), labels);
    assertThat(served).isLessThan(1.0);

    Map<String, Double> v = LabelFreeValidation.measure(model, TargetPictures.of(mnist), heldOut,
        1);

    assertThat(v.get("source_val_accuracy")).isEqualTo(1.0);
    // The model itself is unchanged: it still reads the target's statistics.
    assertThat(Validators.accuracy(Validators.argMax(
        LabelFreeValidation.outputs(model, heldOut, false).probabilities()), labels))
        .isEqualTo(served);
    // A network without batch normalisation is its own source view.
    LeNet plain = new LeNet();
    Model m = new Model(Graphs.inference(plain, 3), plain.name(), model.preprocessing(),
        ImageDataset.DIGITS, null);
    assertThat(m.sourceView()).isSameAs(m);
  }
}
